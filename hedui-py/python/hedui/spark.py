"""hedui on Apache Spark: verify a DataFrame of cases, or cases assembled from office tables,
into Spark DataFrames of the five tables.

``verify_dataframe(df, case_column="case", as_of=...)`` verifies every row of ``df`` whose
``case_column`` holds a case as JSON text (or bytes) and returns :class:`SparkTables`:
``reports``, ``findings``, ``differences``, ``gaps`` and ``errors``, with Spark schemas derived
from hedui's Arrow schemas (:func:`spark_schema`).

How it runs:

- one ``mapInArrow`` stage verifies each partition with :func:`hedui.verify_arrow` on one
  thread per task (``threads=1``: Spark already runs a task per core), the rulebook shipped
  once per task as JSON; it emits, per slice of input rows, one row holding each table's rows
  as Arrow IPC bytes in a column per table;
- that stage is persisted (``MEMORY_AND_DISK``), so every case is verified once although five
  tables come out of it; each table is then one ``mapInArrow`` that decodes its IPC rows;
- with ``path=``, the run is eager instead: each task writes its rows of the five tables as
  Parquet under ``<path>/<table>/`` as it verifies (through pyarrow's file systems), the
  driver commits the files of the task attempts that succeeded, and the tables are Spark's
  reads of those files: no persisted stage and no second trip through Python;
- a bad row (not JSON, not a case, a failed gate, null, blank, not UTF-8) is a row of
  ``errors`` with its ``position``: the 1-based place of the row in ``df`` (partitions in
  order, as ``RDD.zipWithIndex`` counts them), never a task failure. Each task also records
  how many rows its partition had, so the positions are made global with a small join instead
  of a second pass over the input.

``verify_tables(tables, as_of=...)`` takes the office tables of ``docs/tables.md`` (households,
members, letters, answers, ... as Spark DataFrames) instead: their rows are grouped by case
number in one shuffle, each task hands each case number's rows to the layout's compiled reader
(the code of :func:`hedui.cases_from_tables`) and verifies the cases it builds in the same
stage; a bad row is a row of ``errors`` at its row number, with ``tables.<table>[<row>].<column>``
as its ``path`` (:func:`table_location`).

The same cases and the same ``as_of`` give the same reports (same digests) as the main job and
:func:`hedui.verify_batch`. Needs ``pyspark`` and ``pyarrow`` on the driver and the executors,
and the hedui wheel on the executors (see README, "Running on Spark").
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Optional, Union

import hedui
from hedui.types import TableError

if TYPE_CHECKING:
    import pyarrow as _pa  # type: ignore[import-untyped, unused-ignore]
    from pyspark.sql import DataFrame as _DataFrame  # type: ignore[import-not-found, unused-ignore]
    from pyspark.sql.types import StructType as _StructType  # type: ignore[import-not-found, unused-ignore]

__all__ = [
    "ROW_GROUP_ROWS",
    "TABLES",
    "CaseRows",
    "SparkTables",
    "TablePlan",
    "arrow_schema",
    "assemble_case_rows",
    "spark_schema",
    "table_error_rows",
    "table_location",
    "verify_case_rows",
    "verify_dataframe",
    "verify_tables",
]

#: The tables, in the order :class:`SparkTables` holds them.
TABLES = ("reports", "findings", "differences", "gaps", "errors")

#: Input rows verified per call of :func:`hedui.verify_arrow` inside a task, and so per IPC
#: message: bounds the size of one binary value of the persisted stage (256 cases give about
#: 2.4 MB of findings; Spark moves values of tens of MB markedly slower).
SLICE_ROWS = 256

# The persisted stage: one row per slice of input rows, each table's rows as an Arrow IPC
# stream in a column of its own (the decode of one table reads only its column from Spark's
# columnar cache), and a last row per partition (`seq` -1, no tables) with the partition's
# row count, for the global positions of errors.
_STAGE_COLUMNS = ["part", "seq", "rows", *TABLES]
_STAGE_SCHEMA = "part int, seq long, rows long, " + ", ".join(f"{t} binary" for t in TABLES)
_COUNT_SEQ = -1

# Beijing wall clock (+08:00) for `as_of=None`
_BEIJING = datetime.timezone(datetime.timedelta(hours=8))


@dataclass(frozen=True)
class SparkTables:
    """The five tables of a Spark run, as Spark DataFrames: read from the persisted stage that
    verified the cases once (release it with :meth:`unpersist` when done), or, for a run with
    ``path``, from the Parquet files the tasks wrote there (``stage`` is then ``None``)."""

    reports: _DataFrame
    findings: _DataFrame
    differences: _DataFrame
    gaps: _DataFrame
    errors: _DataFrame
    stage: Optional[_DataFrame] = None
    #: The URI the tables were written under (a run with ``path``), as Spark reads it.
    path: Optional[str] = None

    def tables(self) -> dict[str, _DataFrame]:
        """The five tables by name, in the order of :data:`TABLES`."""
        return {name: getattr(self, name) for name in TABLES}

    def unpersist(self) -> None:
        """Drops the persisted verification stage from Spark's storage (nothing to drop for a
        run with ``path``: its files stay)."""
        if self.stage is not None:
            self.stage.unpersist()


def _spark_tables(
    frames: dict[str, _DataFrame], stage: Optional[_DataFrame] = None, path: Optional[str] = None
) -> SparkTables:
    """:class:`SparkTables` of the five tables by name."""
    return SparkTables(
        reports=frames["reports"],
        findings=frames["findings"],
        differences=frames["differences"],
        gaps=frames["gaps"],
        errors=frames["errors"],
        stage=stage,
        path=path,
    )


def arrow_schema(table: str) -> _pa.Schema:
    """hedui's Arrow schema of ``table`` (one of :data:`TABLES`), as the Rust tables define
    it (dictionary-encoded codes, Int64 fen, Date32 dates, timestamps in +08:00)."""
    import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]

    if table not in TABLES:
        raise ValueError(f"unknown table `{table}`, expected one of {', '.join(TABLES)}")
    empty = hedui.verify_arrow(pa.table({"case": pa.array([], pa.string())}), threads=1)
    return pa.schema(getattr(empty, table))


def _plain_type(t: _pa.DataType) -> _pa.DataType:
    """The Arrow type Spark holds for ``t``: dictionaries as their values, unsigned integers
    widened, timestamps in microseconds UTC (the same instant), views and large types as the
    plain ones; nested types converted inside."""
    import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]
    import pyarrow.types as pt  # type: ignore[import-untyped, unused-ignore]

    if pt.is_dictionary(t):
        return _plain_type(t.value_type)
    if pt.is_uint8(t):
        return pa.int16()
    if pt.is_uint16(t):
        return pa.int32()
    if pt.is_uint32(t) or pt.is_uint64(t):
        return pa.int64()
    if pt.is_timestamp(t):
        return pa.timestamp("us", tz="UTC" if t.tz is not None else None)
    if pt.is_large_string(t) or pt.is_string_view(t):
        return pa.string()
    if pt.is_large_binary(t) or pt.is_binary_view(t):
        return pa.binary()
    if pt.is_list(t) or pt.is_large_list(t) or pt.is_fixed_size_list(t):
        return pa.list_(t.value_field.with_type(_plain_type(t.value_type)))
    if pt.is_struct(t):
        return pa.struct([t.field(i).with_type(_plain_type(t.field(i).type)) for i in range(t.num_fields)])
    return t


def _plain_schema(schema: _pa.Schema) -> _pa.Schema:
    import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]

    return pa.schema([f.with_type(_plain_type(f.type)) for f in schema])


def spark_schema(table: str) -> _StructType:
    """The Spark schema of ``table``, derived from :func:`arrow_schema`: codes and categories
    as strings, amounts (fen) as ``bigint``, dates as ``date``, instants as ``timestamp``."""
    from pyspark.sql.pandas.types import from_arrow_schema  # type: ignore[import-not-found, unused-ignore]

    return from_arrow_schema(_plain_schema(arrow_schema(table)), prefer_timestamp_ntz=False)


def _as_of_text(as_of: Union[str, datetime.datetime, None]) -> str:
    """One issue time for every task: ``None`` is now on the Beijing clock, read once on the
    driver."""
    if as_of is None:
        return datetime.datetime.now(_BEIJING).replace(microsecond=0).isoformat()
    if isinstance(as_of, datetime.datetime):
        if as_of.tzinfo is None:
            raise hedui.InputError("`as_of` must be an aware datetime (with a UTC offset)")
        return as_of.isoformat()
    return str(as_of)


def _ipc(table: _pa.Table) -> _pa.Array:
    """``table`` as one Arrow IPC stream, the one binary value of a stage column."""
    import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]

    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return pa.array([sink.getvalue().to_pybytes()], pa.binary())


#: Rows of one table buffered in a task before they are written as one Parquet row group.
ROW_GROUP_ROWS = 131_072

# How every Parquet file of a run with `path` is written (as the main job writes its tables:
# Snappy, no statistics)
_PARQUET_OPTIONS: dict[str, Any] = {"compression": "snappy", "write_statistics": False}

# The counts each task of a run with `path` hands back: its partition and attempt (Spark's
# task attempt id, unique within the application, so that no two attempts of a partition, in
# the same stage attempt or a retried one, write the same file), its input rows, and each
# table's rows in the files it wrote.
_WRITTEN_SCHEMA = "part int, attempt long, rows long, " + ", ".join(f"{t} long" for t in TABLES)


def _lake_uris(path: str) -> tuple[str, str]:
    """``path`` as pyarrow opens it on the executors and as Spark reads it, without a trailing
    ``/``: a path that is not a URI (no ``://``, no ``file:``) is a local one, made absolute on
    the driver and given to Spark as a ``file:`` URI (so that a cluster's default file system
    does not take it for its own); ``s3a://`` and ``s3n://`` are ``s3://`` to pyarrow; any
    other URI is handed to both as it is."""
    import os
    import pathlib
    from urllib.parse import urlsplit

    if not path.strip():
        raise hedui.InputError("`path` must name a folder or URI, not be empty")

    def local(folder: str) -> tuple[str, str]:
        # Spark (Hadoop's Path) takes the name as it is, not percent-encoded as `as_uri` would;
        # a Windows drive gets the third slash
        name = pathlib.Path(os.path.abspath(folder))
        posix = name.as_posix()
        return str(name), "file://" + ("" if posix.startswith("/") else "/") + posix

    if "://" not in path and not path.startswith("file:"):
        return local(path)
    path = path.rstrip("/")
    scheme = urlsplit(path).scheme
    if scheme == "file":
        return local(urlsplit(path).path)
    if scheme in ("s3a", "s3n"):
        return "s3" + path[len(scheme) :], path
    return path, path


def _file_type(t: _pa.DataType) -> _pa.DataType:
    """The Arrow type a table's column is written with: Spark's type (:func:`_plain_type`)
    with dictionary encoding kept, which Parquet stores as such and Spark reads as strings."""
    import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]
    import pyarrow.types as pt  # type: ignore[import-untyped, unused-ignore]

    if pt.is_dictionary(t):
        return pa.dictionary(t.index_type, _plain_type(t.value_type))
    return _plain_type(t)


@dataclass(frozen=True)
class _Lake:
    """Where a run with ``path`` writes the five tables: ``<path>/<table>/part-NNNNN.parquet``,
    one file per task and table (none for a table the task has no rows of). Each task attempt
    writes under ``<table>/_attempts/``, its files named by Spark's task attempt id; the driver
    moves the files of the attempts whose results it got into place once the job is done, so a
    failed, retried or speculative attempt leaves nothing in the tables. Readers skip names
    that start with ``_``."""

    uri: str
    spark_uri: str
    schemas: tuple[_pa.Schema, ...]

    @staticmethod
    def at(path: str) -> _Lake:
        """The place ``path`` names (:func:`_lake_uris`), with the tables' file schemas."""
        import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]

        uri, spark_uri = _lake_uris(path)
        schemas = tuple(
            pa.schema([f.with_type(_file_type(f.type)) for f in arrow_schema(name)]) for name in TABLES
        )
        return _Lake(uri, spark_uri, schemas)

    def _fs(self) -> tuple[Any, str]:
        """pyarrow's file system of :attr:`uri` and the folder in it."""
        from pyarrow import fs  # type: ignore[import-untyped, unused-ignore]

        filesystem, base = fs.FileSystem.from_uri(self.uri)
        return filesystem, base.rstrip("/")

    def prepare(self, overwrite: bool) -> None:
        """Refuses a path that already holds one of the tables, unless ``overwrite``: then
        those tables are deleted first."""
        from pyarrow import fs  # type: ignore[import-untyped, unused-ignore]

        filesystem, base = self._fs()
        for name in TABLES:
            where = f"{base}/{name}"
            if filesystem.get_file_info(where).type == fs.FileType.NotFound:
                continue
            if not overwrite:
                raise hedui.InputError(
                    f"`{self.uri}` already holds the table `{name}`; pass overwrite=True to replace it"
                )
            filesystem.delete_dir(where)

    def write_task(
        self, part: int, attempt: int, slices: Iterator[tuple[int, dict[str, _pa.Table]]]
    ) -> _pa.RecordBatch:
        """On an executor: writes the task's slices as one Parquet file per table (row groups
        of about :data:`ROW_GROUP_ROWS` rows) and returns the row of :data:`_WRITTEN_SCHEMA`."""
        import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]
        import pyarrow.parquet as pq  # type: ignore[import-untyped, unused-ignore]

        filesystem, base = self._fs()
        pending: dict[str, list[_pa.Table]] = {name: [] for name in TABLES}
        counts = dict.fromkeys(TABLES, 0)
        buffered = dict.fromkeys(TABLES, 0)
        writers: dict[str, Any] = {}

        def flush(index: int, name: str) -> None:
            if not pending[name]:
                return
            if name not in writers:
                folder = f"{base}/{name}/_attempts"
                filesystem.create_dir(folder, recursive=True)
                writers[name] = pq.ParquetWriter(
                    f"{folder}/part-{part:05d}-{attempt}.parquet",
                    self.schemas[index],
                    filesystem=filesystem,
                    **_PARQUET_OPTIONS,
                )
            writers[name].write_table(pa.concat_tables(pending[name]), row_group_size=1 << 30)
            pending[name] = []
            buffered[name] = 0

        total = 0
        try:
            for rows, tables in slices:
                total += rows
                for index, name in enumerate(TABLES):
                    table = tables[name]
                    if table.num_rows == 0:
                        continue
                    pending[name].append(table.cast(self.schemas[index]))
                    counts[name] += table.num_rows
                    buffered[name] += table.num_rows
                    if buffered[name] >= ROW_GROUP_ROWS:
                        flush(index, name)
            for index, name in enumerate(TABLES):
                flush(index, name)
        finally:
            for writer in writers.values():
                writer.close()
        return pa.RecordBatch.from_arrays(
            [
                pa.array([part], pa.int32()),
                pa.array([attempt], pa.int64()),
                pa.array([total], pa.int64()),
                *[pa.array([counts[name]], pa.int64()) for name in TABLES],
            ],
            names=["part", "attempt", "rows", *TABLES],
        )

    def commit(self, written: list[Any], global_positions: bool) -> None:
        """On the driver, after the job: moves each succeeded attempt's files into place (with
        ``global_positions`` the errors' positions, counted within each partition, made global
        with the row counts of the partitions before it), drops the attempts' folders, writes
        an empty file for a table no task had rows of, and a ``_SUCCESS`` mark per table."""
        import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]
        import pyarrow.compute as pc  # type: ignore[import-untyped, unused-ignore]
        import pyarrow.parquet as pq  # type: ignore[import-untyped, unused-ignore]
        from pyarrow import fs  # type: ignore[import-untyped, unused-ignore]

        filesystem, base = self._fs()
        done = [(row["part"], row["attempt"], row) for row in sorted(written, key=lambda row: row["part"])]
        offsets: dict[int, int] = {}
        before = 0
        for part, _, row in done:
            offsets[part] = before
            before += row["rows"]
        for index, name in enumerate(TABLES):
            folder = f"{base}/{name}"
            filesystem.create_dir(folder, recursive=True)
            any_rows = False
            for part, attempt, row in done:
                if not row[name]:
                    continue
                any_rows = True
                source = f"{folder}/_attempts/part-{part:05d}-{attempt}.parquet"
                target = f"{folder}/part-{part:05d}.parquet"
                if name == "errors" and global_positions and offsets[part]:
                    table = pq.read_table(source, filesystem=filesystem, schema=self.schemas[index])
                    at = table.schema.get_field_index("position")
                    moved = pc.add(table.column(at), pa.scalar(offsets[part], table.schema.field(at).type))
                    table = table.set_column(at, table.schema.field(at), moved)
                    pq.write_table(table, target, filesystem=filesystem, **_PARQUET_OPTIONS)
                    filesystem.delete_file(source)
                else:
                    filesystem.move(source, target)
            if filesystem.get_file_info(f"{folder}/_attempts").type != fs.FileType.NotFound:
                filesystem.delete_dir(f"{folder}/_attempts")
            if not any_rows:
                pq.write_table(
                    self.schemas[index].empty_table(),
                    f"{folder}/part-00000.parquet",
                    filesystem=filesystem,
                    **_PARQUET_OPTIONS,
                )
            with filesystem.open_output_stream(f"{folder}/_SUCCESS"):
                pass

    def abort(self) -> None:
        """On the driver, after a job that failed: removes the tables' folders, which only
        this run wrote (:meth:`prepare` found none, or deleted them)."""
        from pyarrow import fs  # type: ignore[import-untyped, unused-ignore]

        filesystem, base = self._fs()
        for name in TABLES:
            if filesystem.get_file_info(f"{base}/{name}").type != fs.FileType.NotFound:
                filesystem.delete_dir(f"{base}/{name}")

    def run(self, written: _DataFrame, global_positions: bool) -> None:
        """Runs the job of ``written`` (one row of :data:`_WRITTEN_SCHEMA` per task) and
        commits its files; if the job fails, what it wrote is removed and the error raised."""
        try:
            rows = written.collect()
        except BaseException:
            self.abort()
            raise
        self.commit(rows, global_positions)

    def write(
        self, rows: _DataFrame, task: Callable[[_Lake], Any], overwrite: bool, global_positions: bool
    ) -> SparkTables:
        """The whole run: :meth:`prepare`, the job of ``task(self)`` (a ``mapInArrow``
        function that verifies a partition of ``rows`` and writes its tables here) with
        :meth:`run`, and the tables as Spark reads them back."""
        self.prepare(overwrite)
        self.run(rows.mapInArrow(task(self), _WRITTEN_SCHEMA), global_positions)
        return _spark_tables(self.frames(rows.sparkSession), path=self.spark_uri)

    def frames(self, spark: Any) -> dict[str, _DataFrame]:
        """The five tables as Spark reads them from the files, in the schemas of
        :func:`spark_schema`."""
        return {name: spark.read.schema(spark_schema(name)).parquet(f"{self.spark_uri}/{name}") for name in TABLES}


def _dataframe_slices(
    batches: Iterator[_pa.RecordBatch], rulebook: hedui.Rulebook, as_of: str, slice_rows: int
) -> Iterator[tuple[int, dict[str, _pa.Table]]]:
    """The work of one task of :func:`verify_dataframe`: the partition's rows verified on one
    thread, ``slice_rows`` at a time, as (input rows, the slice's five tables); errors at their
    1-based positions within the partition."""
    import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]

    position = 1
    for batch in batches:
        for start in range(0, batch.num_rows, slice_rows):
            piece = batch.slice(start, slice_rows)
            result = hedui.verify_arrow(
                pa.Table.from_batches([piece]),
                "case",
                rulebook,
                as_of,
                threads=1,
                first_position=position,
            )
            yield piece.num_rows, {name: pa.table(t) for name, t in result.tables().items()}
            position += piece.num_rows


def _stage_rows(
    part: int, slices: Iterator[tuple[int, dict[str, _pa.Table]]], count_row: bool
) -> Iterator[_pa.RecordBatch]:
    """Rows of the persisted stage: one per slice, each table's rows as Arrow IPC bytes, and
    with ``count_row`` a last row (``seq`` -1, no tables) with the partition's row count."""
    import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]

    seq = 0
    total = 0
    for rows, tables in slices:
        yield pa.RecordBatch.from_arrays(
            [
                pa.array([part], pa.int32()),
                pa.array([seq], pa.int64()),
                pa.array([rows], pa.int64()),
                *[_ipc(tables[name]) for name in TABLES],
            ],
            names=_STAGE_COLUMNS,
        )
        seq += 1
        total += rows
    if count_row:
        yield pa.RecordBatch.from_arrays(
            [
                pa.array([part], pa.int32()),
                pa.array([_COUNT_SEQ], pa.int64()),
                pa.array([total], pa.int64()),
                *[pa.array([None], pa.binary()) for _ in TABLES],
            ],
            names=_STAGE_COLUMNS,
        )


def _verify_partitions(rulebook_json: str, as_of: str, slice_rows: int, lake: Optional[_Lake] = None) -> Any:
    """The function of the verification stage: every task verifies its partition's rows on one
    thread and emits each table's rows as Arrow IPC streams, or with ``lake`` writes them as
    Parquet files there and emits one row of counts."""

    def verify_partition(batches: Iterator[_pa.RecordBatch]) -> Iterator[_pa.RecordBatch]:
        from pyspark import TaskContext  # type: ignore[import-not-found, unused-ignore]

        context = TaskContext.get()
        part = context.partitionId() if context is not None else 0
        # the rulebook is read once per task
        slices = _dataframe_slices(batches, hedui.Rulebook.from_json(rulebook_json), as_of, slice_rows)
        if lake is None:
            yield from _stage_rows(part, slices, count_row=True)
        else:
            yield lake.write_task(part, context.taskAttemptId() if context is not None else 0, slices)

    return verify_partition


def _decode(name: str, target: _pa.Schema, with_part: bool) -> Any:
    """The function of one table's stage: the IPC streams of table ``name`` back into record
    batches of ``target`` (Spark's Arrow types), with the partition number when asked."""

    def decode(batches: Iterator[_pa.RecordBatch]) -> Iterator[_pa.RecordBatch]:
        import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]

        hedui_schema = target if not with_part else pa.schema(list(target)[1:])
        for batch in batches:
            blobs = batch.column(name)
            parts = batch.column("part")
            for i in range(batch.num_rows):
                # the IPC bytes are read in place, not copied into a Python bytes object
                table = pa.ipc.open_stream(blobs[i].as_buffer()).read_all().cast(hedui_schema)
                if with_part:
                    table = table.add_column(
                        0, "__part", pa.array([parts[i].as_py()] * table.num_rows, pa.int32())
                    )
                yield from table.to_batches()

    return decode


def verify_dataframe(
    df: _DataFrame,
    case_column: str = "case",
    as_of: Union[str, datetime.datetime, None] = None,
    rulebook: Optional[hedui.Rulebook] = None,
    *,
    slice_rows: int = SLICE_ROWS,
    path: Optional[str] = None,
    overwrite: bool = False,
) -> SparkTables:
    """Verifies every row of ``df`` (its ``case_column`` holds a case as JSON) on Spark.

    Without ``path`` the run is lazy: the tables are read from a persisted stage that holds
    each slice's tables as Arrow IPC bytes, decoded by one more pass through the Python
    workers per table. With ``path`` the run happens at once and each task writes its tables
    as Parquet files under ``<path>/<table>/`` as it verifies (:class:`_Lake`); the tables are
    then Spark's reads of those files, with no cached stage and no second trip through Python.
    This is the faster way when the tables are to be kept anyway (a data lake): ``path`` must
    be reachable under the same name from every executor (through pyarrow's file systems:
    a local or shared folder, ``hdfs://`` with libhdfs, ``s3://`` or ``s3a://``, ``gs://``)
    and from Spark on the driver.

    Args:
        df: a Spark DataFrame; only ``case_column`` is read.
        case_column: the column with the case JSON (``string`` or ``binary``).
        as_of: issue time of every report (RFC 3339 text or an aware ``datetime``); ``None``
            for now on the Beijing clock, read once on the driver so that every task uses the
            same instant.
        rulebook: a :class:`hedui.Rulebook`; ``None`` for the built-in one. It is shipped to
            the tasks as JSON and read once per task.
        slice_rows: input rows per IPC message of the persisted stage (per call of
            :func:`hedui.verify_arrow` in a task).
        path: where to write the tables as Parquet (a folder or URI); ``None`` for the lazy
            run with the persisted stage.
        overwrite: with ``path``: delete the tables already there before the run starts,
            instead of refusing them. A run that fails removes what it wrote.

    Returns:
        :class:`SparkTables`; without ``path`` nothing runs until an action on one of its
        DataFrames, and then every case is verified once (the stage is persisted); with
        ``path`` every case has been verified and written when it returns.

    Raises:
        hedui.InputError: ``case_column`` is not a column of ``df``, a bad ``as_of``, or a
            ``path`` that already holds a table (without ``overwrite``).
    """
    import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]
    from pyspark import StorageLevel  # type: ignore[import-not-found, unused-ignore]
    from pyspark.sql import functions as F  # type: ignore[import-not-found, unused-ignore]

    if case_column not in df.columns:
        raise hedui.InputError(f"the DataFrame has no column `{case_column}` (columns: {', '.join(df.columns)})")
    if slice_rows < 1:
        raise hedui.InputError("`slice_rows` must be at least 1")
    if overwrite and path is None:
        raise hedui.InputError("`overwrite` is for a run with `path`")
    as_of_text = _as_of_text(as_of)
    # check the time (and the rulebook) on the driver, so that a bad argument is one error
    # here and not one per task
    hedui.verify_arrow(pa.table({"case": pa.array([], pa.string())}), "case", rulebook, as_of_text)
    rulebook_json = (rulebook if rulebook is not None else hedui.Rulebook.default()).to_json()

    cases = df.select(F.col(case_column).alias("case"))
    if path is not None:
        return _Lake.at(path).write(
            cases, lambda lake: _verify_partitions(rulebook_json, as_of_text, slice_rows, lake), overwrite, True
        )
    stage = cases.mapInArrow(
        _verify_partitions(rulebook_json, as_of_text, slice_rows), _STAGE_SCHEMA
    ).persist(StorageLevel.MEMORY_AND_DISK)
    return _spark_tables(_frames(stage, global_positions=True), stage=stage)


def _frames(stage: _DataFrame, global_positions: bool) -> dict[str, _DataFrame]:
    """The five tables decoded from the persisted ``stage``; with ``global_positions`` the
    errors' positions, counted within each partition, are made global with the row counts of
    the partitions before it (the stage's ``seq`` -1 rows)."""
    import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]
    from pyspark.sql import Window  # type: ignore[import-not-found, unused-ignore]
    from pyspark.sql import functions as F  # type: ignore[import-not-found, unused-ignore]
    from pyspark.sql.pandas.types import (  # type: ignore[import-not-found, unused-ignore]
        from_arrow_schema,
        to_arrow_schema,
    )

    frames: dict[str, _DataFrame] = {}
    for name in TABLES:
        schema = spark_schema(name)
        target = to_arrow_schema(schema, timezone="UTC")
        rows = stage.filter(F.col("seq") != _COUNT_SEQ).select("part", name)
        if name != "errors" or not global_positions:
            frames[name] = rows.mapInArrow(_decode(name, target, with_part=False), schema)
            continue
        with_part = pa.schema([pa.field("__part", pa.int32(), nullable=False), *target])
        local = rows.mapInArrow(
            _decode(name, with_part, with_part=True), from_arrow_schema(with_part, prefer_timestamp_ntz=False)
        )
        before = Window.orderBy("part").rowsBetween(Window.unboundedPreceding, -1)
        offsets = (
            stage.filter(F.col("seq") == _COUNT_SEQ)
            .select(
                F.col("part").alias("__part"),
                F.coalesce(F.sum("rows").over(before), F.lit(0)).alias("__offset"),
            )
        )
        frames[name] = (
            local.join(F.broadcast(offsets), "__part")
            .withColumn("position", (F.col("position") + F.col("__offset")).cast(schema["position"].dataType))
            .select(*schema.fieldNames())
        )
    return frames


# --- cases assembled from the office tables (docs/tables.md) ---------------------------------

# The rows of every input table as one DataFrame, the stage before the grouping: the case
# number (trimmed as the reader trims it; null when blank), the table's index in the plan, the
# order of the row within its table, the row's number as reported, and its cells as text in
# the order of the plan's columns for that table.
_ROWS_SCHEMA = "case_id string, t int, seq long, row long, cells array<string>"

# The case-number column, by its English name; its Chinese header comes from the layout.
_CASE_KEY = "case_id"

#: One input table of :func:`verify_tables` as the tasks see it: the name it was given by
#: (English or the Chinese sheet name, handed to the reader as is), the layout's English name,
#: and the columns handed to the reader (the DataFrame's, without ``row_column``).
TablePlan = tuple[str, str, list[str]]

#: The rows of one case number, per table index of the plan: the rows' cells (text, in the
#: order of the plan's columns) and each row's number as reported (``None``: unknown).
CaseRows = dict[int, tuple[list[list[Optional[str]]], list[Optional[int]]]]


def table_location(table: str, row: Optional[int], column: Optional[str]) -> str:
    """Where a table error is, as the ``path`` column of ``errors`` holds it in
    :func:`verify_tables`: ``tables.<table>[<row>].<column>`` with the layout's English table
    and column names and the row as the spreadsheet counts it (the header is row 1), e.g.
    ``tables.members[5].id``; ``[<row>]`` is left out when the row is unknown and
    ``.<column>`` when the error names no column. The ``tables.`` prefix sets these apart from
    the JSON paths of case documents (``household.members[0].id``)."""
    out = f"tables.{table}"
    if row is not None:
        out += f"[{row}]"
    if column is not None:
        out += f".{column}"
    return out


def assemble_case_rows(
    plan: list[TablePlan], rows: CaseRows
) -> tuple[list[tuple[dict[str, Any], Optional[int]]], list[TableError]]:
    """Builds the case of one case number from its rows with the layout's reader (the code of
    :func:`hedui.cases_from_tables`), the rows of each table in the order given.

    Args:
        plan: the input tables (:data:`TablePlan`).
        rows: the case number's rows (:data:`CaseRows`).

    Returns:
        ``(cases, errors)``: each built case with the number of its households row, and the
        reader's errors with ``row`` turned from the row within ``rows`` to the row's own
        number (``None`` where it is unknown; a header error keeps row 1). Should the reader
        refuse the tables as a whole (a :class:`hedui.HeduiError`), that is one error at the
        first row, never an exception.
    """
    from hedui._hedui import _cases_from_tables

    given: dict[str, object] = {}
    english_index: dict[str, int] = {}
    for t, (name, english, columns) in enumerate(plan):
        english_index[english] = t
        cells, _ = rows.get(t, ([], []))
        given[name] = {c: [r[j] if j < len(r) else None for r in cells] for j, c in enumerate(columns)}
    try:
        cases, errors = _cases_from_tables(given)
    except hedui.HeduiError as refusal:
        # the reader refused the tables as a whole (it does not for text cells): the case
        # number's first row carries the error, so that the task goes on with the next one
        t, numbers = next(((t, r[1]) for t, r in sorted(rows.items()) if r[1]), (0, [None]))
        refused: TableError = {
            "code": refusal.code,
            "area": refusal.area,
            "rule": None,
            "clause": None,
            "docs": None,
            "message": str(refusal),
            "fields": {},
            "path": None,
            "table": plan[t][1] if t < len(plan) else "households",
            "sheet": None,
            "row": numbers[0],
            "column": None,
            "header": None,
            "case_id": None,
        }
        return [], [refused]
    for e in errors:
        index = english_index.get(e["table"])
        row = e["row"]
        if index is None or row is None or row < 2:
            continue
        numbers = rows.get(index, ([], []))[1]
        e["row"] = numbers[row - 2] if row - 2 < len(numbers) else None
    households = next((t for t, (_, english, _) in enumerate(plan) if english == "households"), None)
    household_rows = rows.get(households, ([], []))[1] if households is not None else []
    # a case is built only when its one households row and all its other rows are good
    first = household_rows[0] if household_rows else None
    return [(case, first) for case in cases], errors


def table_error_rows(errors: list[TableError], schema: _pa.Schema) -> _pa.Table:
    """Rows of the ``errors`` table (in ``schema``, Spark's Arrow types) for errors of table
    rows: ``position`` is the row (as the spreadsheet counts it; 0 when unknown), ``path`` is
    :func:`table_location`, resident IDs masked in ``case_id`` and ``message`` as the Rust
    errors table masks them."""
    import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]
    from hedui._hedui import _mask_ids

    columns: dict[str, list[Any]] = {
        "position": [e["row"] if e["row"] is not None else 0 for e in errors],
        "case_id": _mask_ids([e["case_id"] for e in errors]),
        "code": [e["code"] for e in errors],
        "area": [e["area"] for e in errors],
        "rule": [e["rule"] for e in errors],
        "clause": [e["clause"] for e in errors],
        "message": _mask_ids([e["message"] for e in errors]),
        "path": [table_location(e["table"], e["row"], e["column"]) for e in errors],
    }
    return pa.table({f.name: pa.array(columns[f.name], f.type) for f in schema}, schema=schema)


def verify_case_rows(
    batches: Iterator[_pa.RecordBatch],
    plan: list[TablePlan],
    rulebook: hedui.Rulebook,
    as_of: str,
    errors_schema: _pa.Schema,
    *,
    part: int = 0,
    slice_rows: int = SLICE_ROWS,
) -> Iterator[_pa.RecordBatch]:
    """The work of one task of :func:`verify_tables`: ``batches`` hold rows of
    ``_ROWS_SCHEMA`` sorted by case number (then table, then order); the rows of each case
    number are assembled with :func:`assemble_case_rows`, the cases verified slice by slice
    with :func:`hedui.verify_arrow` on one thread, and each slice's five tables emitted as
    Arrow IPC streams in a row of the stage (as :func:`verify_dataframe` does). An error of
    verification is at the position of its case's households row; a table error is a row of
    :func:`table_error_rows`."""
    slices = _case_row_slices(batches, plan, rulebook, as_of, errors_schema, slice_rows)
    yield from _stage_rows(part, slices, count_row=False)


def _case_row_slices(
    batches: Iterator[_pa.RecordBatch],
    plan: list[TablePlan],
    rulebook: hedui.Rulebook,
    as_of: str,
    errors_schema: _pa.Schema,
    slice_rows: int,
) -> Iterator[tuple[int, dict[str, _pa.Table]]]:
    """:func:`verify_case_rows`' slices as (cases verified, the slice's five tables)."""
    import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]
    import pyarrow.compute as pc  # type: ignore[import-untyped, unused-ignore]

    pending_cases: list[str] = []
    pending_rows: list[int] = []
    pending_errors: list[TableError] = []

    def flush() -> tuple[int, dict[str, _pa.Table]]:
        """The slice of the pending cases and table errors (then cleared)."""
        result = hedui.verify_arrow(
            pa.table({"case": pa.array(pending_cases, pa.string())}),
            "case",
            rulebook,
            as_of,
            threads=1,
        )
        tables = {name: pa.table(t) for name, t in result.tables().items()}
        verified = tables["errors"].cast(errors_schema)
        # the positions within the slice (1-based) become the cases' households rows
        at = pc.subtract(verified.column("position"), 1)
        households = pa.array(pending_rows, pa.int64()).take(at)
        verified = verified.set_column(
            verified.schema.get_field_index("position"), errors_schema.field("position"), households
        )
        tables["errors"] = pa.concat_tables([verified, table_error_rows(pending_errors, errors_schema)])
        out = (len(pending_cases), tables)
        pending_cases.clear()
        pending_rows.clear()
        pending_errors.clear()
        return out

    def finish(rows: CaseRows) -> None:
        cases, errors = assemble_case_rows(plan, rows)
        for case, row in cases:
            pending_cases.append(json.dumps(case, ensure_ascii=False))
            pending_rows.append(row if row is not None else 0)
        pending_errors.extend(errors)

    started = False
    key: Optional[str] = None
    rows: CaseRows = {}
    for batch in batches:
        columns = zip(
            batch.column("case_id").to_pylist(),
            batch.column("t").to_pylist(),
            batch.column("row").to_pylist(),
            batch.column("cells").to_pylist(),
        )
        for row_key, t, number, cells in columns:
            if not started or row_key != key:
                if started:
                    finish(rows)
                    if len(pending_cases) + len(pending_errors) >= slice_rows:
                        yield flush()
                started, key, rows = True, row_key, {}
            got = rows.setdefault(t, ([], []))
            got[0].append(cells)
            got[1].append(number)
    if started:
        finish(rows)
    if pending_cases or pending_errors:
        yield flush()


def _verify_groups(
    plan: list[TablePlan],
    rulebook_json: str,
    as_of: str,
    slice_rows: int,
    errors_schema: _pa.Schema,
    lake: Optional[_Lake] = None,
) -> Any:
    """The function of the stage of :func:`verify_tables`: :func:`verify_case_rows` on each
    task's partition, the rulebook read once per task; with ``lake`` the tables are written
    there as Parquet and the task emits one row of counts."""

    def verify_partition(batches: Iterator[_pa.RecordBatch]) -> Iterator[_pa.RecordBatch]:
        from pyspark import TaskContext  # type: ignore[import-not-found, unused-ignore]

        context = TaskContext.get()
        part = context.partitionId() if context is not None else 0
        rulebook = hedui.Rulebook.from_json(rulebook_json)
        if lake is None:
            yield from verify_case_rows(
                batches, plan, rulebook, as_of, errors_schema, part=part, slice_rows=slice_rows
            )
        else:
            slices = _case_row_slices(batches, plan, rulebook, as_of, errors_schema, slice_rows)
            yield lake.write_task(part, context.taskAttemptId() if context is not None else 0, slices)

    return verify_partition


def _quoted(column: str) -> str:
    """A column name as Spark's column parser takes it verbatim (dots, spaces, backticks)."""
    return "`" + column.replace("`", "``") + "`"


def _numbered(df: _DataFrame) -> _DataFrame:
    """``df`` with ``__row``: each row's 1-based place in ``df`` (partitions in order, as
    ``RDD.zipWithIndex`` counts them) plus 1 for the header, from
    ``monotonically_increasing_id`` and a small join of the partitions' row counts."""
    from pyspark.sql import Window  # type: ignore[import-not-found, unused-ignore]
    from pyspark.sql import functions as F  # type: ignore[import-not-found, unused-ignore]

    # monotonically_increasing_id: the partition in the upper 31 bits, the row within it in
    # the lower 33
    ids = df.withColumn("__id", F.monotonically_increasing_id()).withColumn(
        "__p", F.shiftright(F.col("__id"), 33)
    )
    counts = ids.groupBy("__p").count()
    before = Window.orderBy("__p").rowsBetween(Window.unboundedPreceding, -1)
    offsets = counts.select("__p", F.coalesce(F.sum("count").over(before), F.lit(0)).alias("__offset"))
    return (
        ids.join(F.broadcast(offsets), "__p")
        .withColumn("__row", F.col("__offset") + F.col("__id").bitwiseAND((1 << 33) - 1) + 2)
        .drop("__id", "__p", "__offset")
    )


def verify_tables(
    tables: Mapping[str, _DataFrame],
    as_of: Union[str, datetime.datetime, None] = None,
    rulebook: Optional[hedui.Rulebook] = None,
    *,
    row_column: Optional[str] = None,
    partitions: Optional[int] = None,
    slice_rows: int = SLICE_ROWS,
    path: Optional[str] = None,
    overwrite: bool = False,
) -> SparkTables:
    """Assembles cases from office tables (the layout of :func:`hedui.cases_from_tables`,
    ``docs/tables.md``) on Spark and verifies them, into the tables of
    :func:`verify_dataframe`.

    The rows of all tables are grouped by case number 案件编号 (one shuffle); each task hands
    the rows of each case number to the layout's compiled reader (the code of
    :func:`hedui.cases_from_tables`) and verifies the cases it builds, slice by slice, on one
    thread, in the same task; the stage is persisted as in :func:`verify_dataframe`, or with
    ``path`` each task writes the tables there as :func:`verify_dataframe` describes.

    A bad row (a cell that is not of its column's type, a missing case number, an orphan or
    duplicate row, a filled cell in a column the layout lacks, an error of the assembled case
    such as a bad resident ID) is a row of ``errors``, never a task failure: ``position`` is
    the row's number (0 when unknown), ``path`` is where the row is,
    ``tables.<table>[<row>].<column>`` (:func:`table_location`: English table and column
    names, the row as the spreadsheet counts it, the header being row 1), with the reader's
    code, message, ``case_id`` and, for a rule error, rule and clause; the case it belongs to
    is not built, every other case is. An error of verifying an assembled case (a failed
    gate) is at the position of its households row, with the JSON path of the case as
    :func:`verify_dataframe` gives it.

    Row numbers: Spark keeps no row order, so they come from ``row_column`` (an integer
    column of every table, the row as the source numbered it, e.g. the spreadsheet row) when
    given; without it, a row's number is its place in its DataFrame (partitions in order, as
    ``RDD.zipWithIndex`` counts them) plus 1 for the header, which is the spreadsheet row
    for a table read in order from one file, at the cost of one more pass over each table to
    count its partitions' rows. The rows of a case are handed to the reader in the order of
    their numbers (the order of the lists in the case document), so a case is assembled the
    same way on every run.

    Args:
        tables: table name (English, ``members``, or the Chinese sheet name, 家庭成员) →
            Spark DataFrame with the layout's columns (English names or Chinese headers;
            text, or types whose cast to text is the layout's: whole numbers, dates). The
            households table is required, the others may be left out.
        as_of: as in :func:`verify_dataframe`.
        rulebook: as in :func:`verify_dataframe`.
        row_column: the column (in every table) with each row's number; it is not handed to
            the reader. ``None``: numbered by DataFrame order.
        partitions: partitions of the grouping by case number (``None``: as many as the
            input tables have together, at least Spark's default parallelism).
        slice_rows: cases and table errors per call of :func:`hedui.verify_arrow` in a task
            (and so per IPC message of the persisted stage).
        path: as in :func:`verify_dataframe`: the tasks write the tables as Parquet there and
            the run happens at once.
        overwrite: as in :func:`verify_dataframe`.

    Returns:
        :class:`SparkTables` with the five tables of :func:`verify_dataframe`; without
        ``path`` nothing runs until an action, and then every case is assembled and verified
        once; with ``path`` every case has been verified and written when it returns.

    Raises:
        hedui.InputError: a table name the layout does not have or a table given twice
            (``members`` and 家庭成员), no households table, a table without the case-number
            column or without ``row_column``, or a bad ``as_of``, ``partitions`` or
            ``slice_rows``, or a ``path`` that already holds a table (without ``overwrite``).
    """
    import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]
    from pyspark import StorageLevel  # type: ignore[import-not-found, unused-ignore]
    from pyspark.sql import functions as F  # type: ignore[import-not-found, unused-ignore]
    from pyspark.sql.pandas.types import to_arrow_schema  # type: ignore[import-not-found, unused-ignore]

    if not isinstance(tables, Mapping) or not tables:
        raise hedui.InputError("`tables` must be a non-empty mapping of table name to Spark DataFrame")
    if slice_rows < 1:
        raise hedui.InputError("`slice_rows` must be at least 1")
    if partitions is not None and partitions < 1:
        raise hedui.InputError("`partitions` must be at least 1")
    if overwrite and path is None:
        raise hedui.InputError("`overwrite` is for a run with `path`")
    layout = {}
    for t in hedui.table_layout():
        layout[t["name"]] = t
        layout[t["sheet"]] = t
    plan: list[TablePlan] = []
    frames = []
    seen: dict[str, str] = {}
    for name, df in tables.items():
        table = layout.get(name.strip())
        if table is None:
            known = ", ".join(f"{t['name']} ({t['sheet']})" for t in hedui.table_layout())
            raise hedui.InputError(f"table `{name}` is not in the layout; tables: {known}")
        if table["name"] in seen:
            raise hedui.InputError(f"table `{table['name']}` is given twice: `{seen[table['name']]}` and `{name}`")
        seen[table["name"]] = name
        key_header = next(c["header"] for c in table["columns"] if c["name"] == _CASE_KEY)
        key = next((c for c in df.columns if c.strip() in (_CASE_KEY, key_header)), None)
        if key is None:
            raise hedui.InputError(
                f"table `{name}` has no case-number column `{_CASE_KEY}` ({key_header}); columns: {', '.join(df.columns)}"
            )
        if row_column is not None and row_column not in df.columns:
            raise hedui.InputError(f"table `{name}` has no row column `{row_column}`")
        columns = [c for c in df.columns if c != row_column]
        plan.append((name, table["name"], columns))
        if row_column is not None:
            number = F.col(_quoted(row_column)).cast("long")
        else:
            df = _numbered(df)
            number = F.col("__row")
        # the case number trimmed as the reader trims it (Unicode white space), blank as null
        trimmed = F.regexp_replace(F.col(_quoted(key)).cast("string"), r"(?U)^\s+|\s+$", "")
        frames.append(
            df.select(
                F.when(trimmed != "", trimmed).alias("case_id"),
                F.lit(len(plan) - 1).cast("int").alias("t"),
                number.alias("seq"),
                number.alias("row"),
                F.array(*[F.col(_quoted(c)).cast("string") for c in columns]).alias("cells"),
            )
        )
    if "households" not in seen:
        raise hedui.InputError("`tables` has no households table (households, 家庭)")
    as_of_text = _as_of_text(as_of)
    hedui.verify_arrow(pa.table({"case": pa.array([], pa.string())}), "case", rulebook, as_of_text)
    rulebook_json = (rulebook if rulebook is not None else hedui.Rulebook.default()).to_json()
    errors_schema = to_arrow_schema(spark_schema("errors"), timezone="UTC")

    rows = frames[0]
    for frame in frames[1:]:
        rows = rows.unionByName(frame)
    if partitions is None:
        # as many as the tables have together (their size, as Spark split them), so that a task
        # holds about as many rows as a task reading them; spark.sql.shuffle.partitions (200 by
        # default) would give mostly empty tasks for a county's tables
        spark = frames[0].sparkSession
        partitions = max(
            spark.sparkContext.defaultParallelism, sum(df.rdd.getNumPartitions() for df in tables.values())
        )
    grouped = rows.repartition(partitions, "case_id").sortWithinPartitions("case_id", "t", "seq")
    if path is not None:
        return _Lake.at(path).write(
            grouped,
            lambda lake: _verify_groups(plan, rulebook_json, as_of_text, slice_rows, errors_schema, lake),
            overwrite,
            False,
        )
    stage = grouped.mapInArrow(
        _verify_groups(plan, rulebook_json, as_of_text, slice_rows, errors_schema), _STAGE_SCHEMA
    ).persist(StorageLevel.MEMORY_AND_DISK)
    return _spark_tables(_frames(stage, global_positions=False), stage=stage)
