//! Arrow tables out of a batch, and Arrow in: `verify_batch(..., output="arrow")` and
//! `verify_arrow`. The reports are written straight into the `hedui-ops` tables (reports,
//! findings, differences, gaps, errors; `hedui_ops::columns`), never into dicts, and handed to
//! Python through the Arrow PyCapsule interface (`__arrow_c_stream__`, via `pyo3-arrow`), so
//! pyarrow, polars and DuckDB read them without a copy and without pyarrow being installed
//! for hedui itself.
//!
//! Input can be Arrow too: any object with `__arrow_c_stream__` (a pyarrow `Table` or
//! `RecordBatchReader`, a polars `DataFrame`, what Spark's `mapInArrow` hands over) with a
//! column of case JSON (string, large string, string view, binary, large binary). Every row is
//! a case: a null, blank or unreadable row is a row of the errors table at its position, so
//! nothing is lost.

use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::{Array, ArrayRef, RecordBatch, RecordBatchReader, StructArray};
use arrow_schema::{ArrowError, DataType, Field, SchemaRef};
use hedui_core::batch::{BatchError, BatchLine, BatchOptions, verify_chunk_cases};
use hedui_core::error::InputError;
use hedui_core::{Error, Rulebook};
use hedui_ops::columns::{SCHEMA_VERSION, Table, Tables, TablesBuilder, case_id_of};
use hedui_ops::jsonl::Chunk;
use pyo3::prelude::*;
use pyo3::types::{PyCapsule, PyDict};
use pyo3_arrow::PyRecordBatchReader;
use pyo3_arrow::ffi::{ArrayIterator, to_schema_pycapsule, to_stream_pycapsule};
use rayon::prelude::*;
use time::OffsetDateTime;

use crate::errors::{self, INPUT_ARGUMENT, catch};

/// Most threads a call may ask for.
const MAX_THREADS: u64 = 1024;

/// Input rows verified per step: big enough to keep every core busy and the record batches
/// of a step (one set per share) a few hundred reports each or more, small enough that the
/// input rows of a step are few.
pub(crate) const ROWS_PER_STEP: usize = 2048;

/// How many cores a call uses (`threads=`).
#[derive(Debug)]
pub(crate) enum Threads {
    /// Every core: rayon's global pool.
    All,
    /// One core: verification runs on the calling thread, no pool.
    One,
    /// A dedicated pool of this many threads for this call.
    Pool(rayon::ThreadPool),
}

impl Threads {
    /// `threads=None` is every core, `threads=1` the calling thread only, `n > 1` a pool of
    /// `n` threads.
    pub(crate) fn from_arg(py: Python<'_>, threads: Option<&Bound<'_, PyAny>>) -> PyResult<Self> {
        let Some(threads) = threads.filter(|t| !t.is_none()) else {
            return Ok(Threads::All);
        };
        let n = crate::convert::count(threads, "threads", MAX_THREADS)?;
        match n {
            0 => Err(errors::input(
                py,
                INPUT_ARGUMENT,
                "`threads` must be at least 1 (or None for every core)",
            )),
            1 => Ok(Threads::One),
            n => rayon::ThreadPoolBuilder::new()
                .num_threads(usize::try_from(n).unwrap_or(usize::MAX))
                .thread_name(|i| format!("hedui-{i}"))
                .build()
                .map(Threads::Pool)
                .map_err(|e| errors::internal_from(py, &format!("cannot start {n} threads: {e}"))),
        }
    }

    /// Runs `f(parallel)` on the cores this stands for.
    pub(crate) fn run<T: Send>(&self, f: impl FnOnce(bool) -> T + Send) -> T {
        match self {
            Threads::All => f(true),
            Threads::One => f(false),
            Threads::Pool(pool) => pool.install(|| f(true)),
        }
    }
}

/// One table of an Arrow batch result: its record batches and schema, handed over through
/// the Arrow PyCapsule interface.
#[pyclass(module = "hedui", name = "ArrowTable", frozen)]
#[derive(Debug)]
pub(crate) struct ArrowTable {
    name: &'static str,
    schema: SchemaRef,
    batches: Vec<RecordBatch>,
}

impl ArrowTable {
    /// A table of its own (not one of a batch's five): `name`, `schema` and its batches.
    pub(crate) fn new(name: &'static str, schema: SchemaRef, batches: Vec<RecordBatch>) -> Self {
        ArrowTable {
            name,
            schema,
            batches,
        }
    }
}

#[pymethods]
impl ArrowTable {
    /// The table's name: `reports`, `findings`, `differences`, `gaps` or `errors` for a
    /// batch; `resident_ids` or `credit_codes` for the identifier tables.
    #[getter]
    fn name(&self) -> &'static str {
        self.name
    }

    /// Number of rows.
    #[getter]
    fn num_rows(&self) -> usize {
        self.batches.iter().map(RecordBatch::num_rows).sum()
    }

    fn __len__(&self) -> usize {
        self.num_rows()
    }

    /// The Arrow schema as an `arrow_schema` PyCapsule (Arrow PyCapsule interface).
    fn __arrow_c_schema__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyCapsule>> {
        Ok(to_schema_pycapsule(py, self.schema.as_ref())?)
    }

    /// The rows as an `arrow_array_stream` PyCapsule (Arrow PyCapsule interface): what
    /// `pyarrow.table(t)`, `polars.DataFrame(t)` and DuckDB read. The batches are shared, not
    /// copied; a requested schema is honoured where the columns can be cast to it.
    #[pyo3(signature = (requested_schema=None))]
    fn __arrow_c_stream__<'py>(
        &self,
        py: Python<'py>,
        requested_schema: Option<Bound<'py, PyCapsule>>,
    ) -> PyResult<Bound<'py, PyCapsule>> {
        let field = Field::new_struct("", self.schema.fields().clone(), false)
            .with_metadata(self.schema.metadata().clone());
        let arrays: Vec<Result<ArrayRef, ArrowError>> = self
            .batches
            .iter()
            .map(|b| Ok(Arc::new(StructArray::from(b.clone())) as ArrayRef))
            .collect();
        let reader = Box::new(ArrayIterator::new(arrays.into_iter(), Arc::new(field)));
        Ok(to_stream_pycapsule(py, reader, requested_schema)?)
    }

    /// The table as a `pyarrow.Table` (needs pyarrow: `pip install "hedui[arrow]"`).
    fn to_pyarrow<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        slf.py().import("pyarrow")?.call_method1("table", (slf,))
    }

    /// The table as a pandas `DataFrame`, through pyarrow (needs pandas and pyarrow).
    fn to_pandas<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        Self::to_pyarrow(slf)?.call_method0("to_pandas")
    }

    /// The table as a polars `DataFrame` (needs polars; pyarrow is not used).
    fn to_polars<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        slf.py().import("polars")?.call_method1("DataFrame", (slf,))
    }

    fn __repr__(&self) -> String {
        format!("ArrowTable(name={:?}, rows={})", self.name, self.num_rows())
    }
}

/// The outcome of `verify_batch(..., output="arrow")` and `verify_arrow`: five Arrow tables.
/// Every input row is either a report (with its findings, differences and gaps) or a row of
/// `errors` with its position; nothing is dropped.
#[pyclass(module = "hedui", name = "ArrowBatchResult", frozen)]
#[derive(Debug)]
pub(crate) struct ArrowBatchResult {
    reports: Py<ArrowTable>,
    findings: Py<ArrowTable>,
    differences: Py<ArrowTable>,
    gaps: Py<ArrowTable>,
    errors: Py<ArrowTable>,
}

#[pymethods]
impl ArrowBatchResult {
    /// One row per report.
    #[getter]
    fn reports(&self, py: Python<'_>) -> Py<ArrowTable> {
        self.reports.clone_ref(py)
    }

    /// One row per member × category.
    #[getter]
    fn findings(&self, py: Python<'_>) -> Py<ArrowTable> {
        self.findings.clone_ref(py)
    }

    /// Declared vs found, per report and item.
    #[getter]
    fn differences(&self, py: Python<'_>) -> Py<ArrowTable> {
        self.differences.clone_ref(py)
    }

    /// One row per gap, with its offline task.
    #[getter]
    fn gaps(&self, py: Python<'_>) -> Py<ArrowTable> {
        self.gaps.clone_ref(py)
    }

    /// One row per rejected input row: position (1-based), case id where known, code, area,
    /// rule, message.
    #[getter]
    fn errors(&self, py: Python<'_>) -> Py<ArrowTable> {
        self.errors.clone_ref(py)
    }

    /// Version of the tables' schemas (`hedui_ops::columns::SCHEMA_VERSION`).
    #[classattr]
    const SCHEMA_VERSION: u32 = SCHEMA_VERSION;

    /// The five tables by name, in the order reports, findings, differences, gaps, errors.
    fn tables<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        for t in [
            &self.reports,
            &self.findings,
            &self.differences,
            &self.gaps,
            &self.errors,
        ] {
            d.set_item(t.get().name, t.clone_ref(py))?;
        }
        Ok(d)
    }

    fn __repr__(&self) -> String {
        format!(
            "ArrowBatchResult(reports={}, findings={}, differences={}, gaps={}, errors={})",
            self.reports.get().num_rows(),
            self.findings.get().num_rows(),
            self.differences.get().num_rows(),
            self.gaps.get().num_rows(),
            self.errors.get().num_rows(),
        )
    }
}

/// The five tables, each as (name, schema, record batches in input order).
pub(crate) type Finished = [(&'static str, SchemaRef, Vec<RecordBatch>); 5];

/// The tables of one step: record batches of the five tables, one set per share of the
/// step's lines, in input order.
pub(crate) type Step = Vec<Tables>;

/// Why building the tables stopped.
#[derive(Debug)]
pub(crate) enum Stop {
    /// The input could not be read.
    Io(std::io::Error),
    /// Anything else: an unreadable stream, a table that could not be built, a panic.
    Other(String),
    /// Python stopped the call between two steps: Ctrl-C (`KeyboardInterrupt`), or the
    /// progress callback raised.
    Python(PyErr),
}

fn tables_error(e: ArrowError) -> Stop {
    Stop::Other(format!("cannot build the tables: {e}"))
}

/// Lines verified in one go before their rows are built: few enough that their reports are
/// still in the core's cache when they are turned into rows.
const LINES_PER_PIECE: usize = 8;

/// Fewest pieces one thread takes in a row into the same tables: bounds how many (and how
/// small) record batches a step makes.
const PIECES_PER_SHARE: usize = 32;

/// Verifies the lines of one step and builds their rows into tables (no dicts, no reports
/// kept). `lines` are numbered from `first`; `rejected` are the lines refused before
/// verification (too long, not UTF-8, null or blank rows), in order, each standing in
/// `lines` as an empty line.
///
/// On several cores each thread takes contiguous shares of the lines, verifies them a piece
/// at a time and appends their rows to tables of its own, so a report becomes rows on the
/// core that made it, while it is still in that core's cache, and is freed there; the shares'
/// tables come back in input order. On one thread (`threads=1`) the step is one share.
pub(crate) fn tables_step<L: BatchLine + AsRef<[u8]>>(
    rulebook: &Rulebook,
    issued_at: OffsetDateTime,
    threads: &Threads,
    lines: &[L],
    first: u64,
    rejected: &[BatchError],
) -> Result<Step, Stop> {
    let opts = BatchOptions {
        rulebook,
        issued_at,
        render: false,
        parallel: false,
    };
    // appends the rows of the piece of `lines` starting at index `start`
    let fill = |mut tables: TablesBuilder, start: usize, piece: &[L]| {
        let from = first + start as u64;
        let to = from + piece.len() as u64;
        let lo = rejected.partition_point(|e| e.line < from);
        let hi = rejected.partition_point(|e| e.line < to);
        let mut refused = rejected.get(lo..hi).unwrap_or_default().iter().peekable();
        for (n, result) in verify_chunk_cases(piece, from, &opts) {
            while let Some(e) = refused.next_if(|e| e.line < n) {
                tables.push_error(e.line, None, e);
            }
            match result {
                Ok(report) => tables.push_case_report(&report),
                Err(e) => {
                    let line = usize::try_from(n - from).ok().and_then(|i| piece.get(i));
                    let case_id = line.and_then(|l| case_id_of(l.as_ref()));
                    tables.push_error(n, case_id.as_deref(), &e);
                }
            }
        }
        for e in refused {
            tables.push_error(e.line, None, e);
        }
        tables
    };
    let built: Result<Step, ArrowError> = threads.run(|parallel| {
        if !parallel {
            let mut tables = lines
                .chunks(LINES_PER_PIECE)
                .enumerate()
                .fold(TablesBuilder::new(), |t, (k, piece)| {
                    fill(t, k * LINES_PER_PIECE, piece)
                });
            return Ok(vec![tables.finish()?]);
        }
        lines
            .par_chunks(LINES_PER_PIECE)
            .with_min_len(PIECES_PER_SHARE)
            .enumerate()
            .fold(TablesBuilder::new, |t, (k, piece)| {
                fill(t, k * LINES_PER_PIECE, piece)
            })
            .map(|mut tables| tables.finish())
            .collect()
    });
    built.map_err(tables_error)
}

/// The five tables of a call, each with its record batches in input order.
struct Collector {
    done: Vec<Tables>,
}

impl Collector {
    /// The five tables, each with its batches in input order (a table without rows has no
    /// batch, only its schema).
    fn finish(self) -> Finished {
        let mut out = Table::ALL.map(|t| (t.name(), t.schema(), Vec::new()));
        for tables in self.done {
            let Tables {
                reports,
                findings,
                differences,
                gaps,
                errors,
            } = tables;
            for (slot, batch) in out
                .iter_mut()
                .zip([reports, findings, differences, gaps, errors])
            {
                if batch.num_rows() > 0 {
                    slot.2.push(batch);
                }
            }
        }
        out
    }
}

/// Builds the tables from the steps `produce` hands to its `emit` (each step's tables are
/// built where it is verified: [`tables_step`]). After each step the interpreter is held for a
/// moment: `progress`, when given, is called with the number of cases the step finished
/// (reports and errors), and a pending Ctrl-C stops the call with `KeyboardInterrupt`.
pub(crate) fn build_tables(
    progress: Option<&Py<PyAny>>,
    produce: impl FnOnce(&mut dyn FnMut(Step) -> Result<(), Stop>) -> Result<(), Stop>,
) -> Result<Finished, Stop> {
    let mut collector = Collector { done: Vec::new() };
    produce(&mut |step| {
        let finished: usize = step
            .iter()
            .map(|t| t.reports.num_rows() + t.errors.num_rows())
            .sum();
        collector.done.extend(step);
        Python::attach(|py| {
            if let Some(progress) = progress {
                progress.bind(py).call1((finished,))?;
            }
            py.check_signals()
        })
        .map_err(Stop::Python)
    })?;
    Ok(collector.finish())
}

/// The Python result object from the finished tables.
pub(crate) fn into_result(py: Python<'_>, tables: Finished) -> PyResult<ArrowBatchResult> {
    let [reports, findings, differences, gaps, errors] =
        tables.map(|(name, schema, batches)| ArrowTable {
            name,
            schema,
            batches,
        });
    Ok(ArrowBatchResult {
        reports: Py::new(py, reports)?,
        findings: Py::new(py, findings)?,
        differences: Py::new(py, differences)?,
        gaps: Py::new(py, gaps)?,
        errors: Py::new(py, errors)?,
    })
}

/// Verifies the lines of a chunk (a JSONL file's or an iterable's) on `threads`: one step.
pub(crate) fn chunk_step(
    rulebook: &Rulebook,
    chunk: &Chunk,
    issued_at: OffsetDateTime,
    threads: &Threads,
) -> Result<Step, Stop> {
    tables_step(
        rulebook,
        issued_at,
        threads,
        &chunk.lines,
        chunk.first_line,
        &chunk.rejected,
    )
}

/// The case column of one input batch, as borrowed bytes per row (`None`: a null row).
fn case_column(batch: &RecordBatch, index: usize) -> Result<Vec<Option<&[u8]>>, String> {
    let column = batch
        .columns()
        .get(index)
        .ok_or_else(|| "the case column is missing from a batch".to_owned())?;
    fn rows<'a, I: Iterator<Item = Option<&'a [u8]>>>(it: I) -> Vec<Option<&'a [u8]>> {
        it.collect()
    }
    Ok(match column.data_type() {
        DataType::Utf8 => rows(
            column
                .as_string::<i32>()
                .iter()
                .map(|v| v.map(str::as_bytes)),
        ),
        DataType::LargeUtf8 => rows(
            column
                .as_string::<i64>()
                .iter()
                .map(|v| v.map(str::as_bytes)),
        ),
        DataType::Utf8View => rows(column.as_string_view().iter().map(|v| v.map(str::as_bytes))),
        DataType::Binary => rows(column.as_binary::<i32>().iter()),
        DataType::LargeBinary => rows(column.as_binary::<i64>().iter()),
        DataType::BinaryView => rows(column.as_binary_view().iter()),
        other => return Err(format!("the case column has type `{other}`, not text")),
    })
}

/// Is this a column type that can hold case JSON?
fn is_text(t: &DataType) -> bool {
    matches!(
        t,
        DataType::Utf8
            | DataType::LargeUtf8
            | DataType::Utf8View
            | DataType::Binary
            | DataType::LargeBinary
            | DataType::BinaryView
    )
}

/// A row that is not a case at all: null or blank text (a JSONL reader skips blank lines,
/// but a table row is a record and must not vanish).
fn empty_row(position: u64, what: &str) -> BatchError {
    let e = Error::Input(InputError::Json {
        document: "case",
        message: format!("the row has no case ({what})"),
        path: None,
    });
    BatchError::new(position, &e)
}

/// Verifies every row of an Arrow stream, a step of rows at a time handed to `emit`;
/// positions start at `first`.
fn read_stream(
    reader: Box<dyn RecordBatchReader + Send>,
    index: usize,
    rulebook: &Rulebook,
    issued_at: OffsetDateTime,
    threads: &Threads,
    first: u64,
    emit: &mut dyn FnMut(Step) -> Result<(), Stop>,
) -> Result<(), Stop> {
    let mut position = first;
    for batch in reader {
        let batch = batch.map_err(|e| Stop::Other(format!("cannot read the input stream: {e}")))?;
        let rows = case_column(&batch, index).map_err(Stop::Other)?;
        for part in rows.chunks(ROWS_PER_STEP) {
            let start = position;
            // a null or blank row is an error row here; the others go to the core (a blank
            // row would be skipped there), with an empty line in its place
            let mut empty = Vec::new();
            let lines: Vec<&[u8]> = part
                .iter()
                .enumerate()
                .map(|(i, row)| match row {
                    None => {
                        empty.push(empty_row(start + i as u64, "null"));
                        &b""[..]
                    }
                    Some(b) if b.trim_ascii().is_empty() => {
                        empty.push(empty_row(start + i as u64, "blank text"));
                        &b""[..]
                    }
                    Some(b) => b,
                })
                .collect();
            emit(tables_step(
                rulebook, issued_at, threads, &lines, start, &empty,
            )?)?;
            position += part.len() as u64;
        }
    }
    Ok(())
}

/// Verifies every row of an Arrow table or stream whose `case_column` holds case JSON, on
/// all cores (or `threads`), into Arrow tables; no dicts are built.
///
/// Every row is a case. A row whose case cannot be read or fails a gate (including a null or
/// blank row, or bytes that are not UTF-8) is a row of `errors` with its `position` (1-based
/// row number in the input, plus `first_position - 1`), its case id where known, its code
/// and message; the other rows still get their reports.
///
/// Ctrl-C (`KeyboardInterrupt`) stops the call after the rows being verified.
///
/// Args:
///     data: any object with `__arrow_c_stream__` (pyarrow `Table` or `RecordBatchReader`,
///         polars `DataFrame`, ...).
///     case_column: the column holding case JSON (string, large string, string view, binary,
///         large binary).
///     rulebook: a `Rulebook`; `None` for the built-in one.
///     as_of: issue time of every report, an aware `datetime` or RFC 3339 text; `None` for
///         now (+08:00).
///     threads: cores to use (a dedicated pool); `None` for every core, 1 for the calling
///         thread only.
///     first_position: the position of the first row (`None`: 1), for inputs that are a
///         part of a larger whole (a Spark partition).
///
/// Returns:
///     An `ArrowBatchResult`.
///
/// Raises:
///     InputError: `data` has no Arrow stream, the column is missing or not text
///         (`input_argument`), the stream fails while read (`input_io`), or a bad
///         `rulebook` / `as_of` / `threads`.
#[pyfunction]
#[pyo3(signature = (data, case_column="case", rulebook=None, as_of=None, *, threads=None, first_position=None))]
pub(crate) fn verify_arrow(
    py: Python<'_>,
    data: &Bound<'_, PyAny>,
    case_column: &str,
    rulebook: Option<&Bound<'_, PyAny>>,
    as_of: Option<&Bound<'_, PyAny>>,
    threads: Option<&Bound<'_, PyAny>>,
    first_position: Option<&Bound<'_, PyAny>>,
) -> PyResult<ArrowBatchResult> {
    errors::guard(py, || {
        let rb = crate::rulebook::resolve(rulebook)?;
        let issued_at = crate::convert::instant(as_of, "as_of")?;
        let threads = Threads::from_arg(py, threads)?;
        let first = match first_position.filter(|p| !p.is_none()) {
            Some(p) => crate::convert::count(p, "first_position", u64::MAX / 2)?,
            None => 1,
        };
        if first == 0 {
            return Err(errors::input(
                py,
                INPUT_ARGUMENT,
                "`first_position` must be at least 1",
            ));
        }
        if !data.hasattr("__arrow_c_stream__")? {
            return Err(errors::input(
                py,
                INPUT_ARGUMENT,
                &format!(
                    "`data` must have `__arrow_c_stream__` (a pyarrow Table or RecordBatchReader, a polars DataFrame, ...), got `{}`",
                    crate::convert::type_name(data)
                ),
            ));
        }
        let reader = data
            .extract::<PyRecordBatchReader>()
            .and_then(PyRecordBatchReader::into_reader)
            .map_err(|e| {
                errors::input(
                    py,
                    INPUT_ARGUMENT,
                    &format!("`data` is not an Arrow stream: {e}"),
                )
            })?;
        let schema = reader.schema();
        let index = match schema.index_of(case_column) {
            Ok(i) => i,
            Err(_) => {
                return Err(errors::input(
                    py,
                    INPUT_ARGUMENT,
                    &format!(
                        "`data` has no column `{case_column}` (columns: {})",
                        schema
                            .fields()
                            .iter()
                            .map(|f| format!("`{}`", f.name()))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
            }
        };
        let t = schema.field(index).data_type();
        if !is_text(t) {
            return Err(errors::input(
                py,
                INPUT_ARGUMENT,
                &format!("column `{case_column}` has type `{t}`; case JSON must be text or binary"),
            ));
        }
        let rb: &Rulebook = &rb;
        let threads = &threads;
        let collected = py
            .detach(|| {
                catch(|| {
                    build_tables(None, |emit| {
                        read_stream(reader, index, rb, issued_at, threads, first, emit)
                    })
                })
            })
            .map_err(|m| errors::internal_from(py, &m))?;
        match collected {
            Ok(tables) => into_result(py, tables),
            Err(Stop::Io(e)) => Err(errors::input(py, errors::INPUT_IO, &e.to_string())),
            Err(Stop::Other(m)) => Err(errors::input(py, errors::INPUT_IO, &m)),
            Err(Stop::Python(e)) => Err(e),
        }
    })
}
