"""hedui on Apache Spark: verify a DataFrame of cases into Spark DataFrames of the five tables.

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
- a bad row (not JSON, not a case, a failed gate, null, blank, not UTF-8) is a row of
  ``errors`` with its ``position``: the 1-based place of the row in ``df`` (partitions in
  order, as ``RDD.zipWithIndex`` counts them), never a task failure. Each task also records
  how many rows its partition had, so the positions are made global with a small join instead
  of a second pass over the input.

The same cases and the same ``as_of`` give the same reports (same digests) as the main job and
:func:`hedui.verify_batch`. Needs ``pyspark`` and ``pyarrow`` on the driver and the executors,
and the hedui wheel on the executors (see README, "Running on Spark").
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Optional, Union

import hedui

if TYPE_CHECKING:
    import pyarrow as _pa  # type: ignore[import-untyped, unused-ignore]
    from pyspark.sql import DataFrame as _DataFrame  # type: ignore[import-not-found, unused-ignore]
    from pyspark.sql.types import StructType as _StructType  # type: ignore[import-not-found, unused-ignore]

__all__ = ["TABLES", "SparkTables", "arrow_schema", "spark_schema", "verify_dataframe"]

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
    """The five tables of a Spark run, as Spark DataFrames, and the persisted stage that
    verified the cases once (release it with :meth:`unpersist` when done)."""

    reports: _DataFrame
    findings: _DataFrame
    differences: _DataFrame
    gaps: _DataFrame
    errors: _DataFrame
    stage: _DataFrame

    def tables(self) -> dict[str, _DataFrame]:
        """The five tables by name, in the order of :data:`TABLES`."""
        return {name: getattr(self, name) for name in TABLES}

    def unpersist(self) -> None:
        """Drops the persisted verification stage from Spark's storage."""
        self.stage.unpersist()


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


def _verify_partitions(
    rulebook_json: str, as_of: str, slice_rows: int
) -> Any:
    """The function of the verification stage: every task verifies its partition's rows on one
    thread and emits each table's rows as Arrow IPC streams."""

    def verify_partition(batches: Iterator[_pa.RecordBatch]) -> Iterator[_pa.RecordBatch]:
        import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]
        from pyspark import TaskContext  # type: ignore[import-not-found, unused-ignore]

        context = TaskContext.get()
        part = context.partitionId() if context is not None else 0
        # the rulebook is read once per task
        rulebook = hedui.Rulebook.from_json(rulebook_json)
        position = 1
        seq = 0
        for batch in batches:
            for start in range(0, batch.num_rows, slice_rows):
                part_rows = batch.slice(start, slice_rows)
                result = hedui.verify_arrow(
                    pa.Table.from_batches([part_rows]),
                    "case",
                    rulebook,
                    as_of,
                    threads=1,
                    first_position=position,
                )
                tables = result.tables()
                blobs = []
                for name in TABLES:
                    table = pa.table(tables[name])
                    sink = pa.BufferOutputStream()
                    with pa.ipc.new_stream(sink, table.schema) as writer:
                        writer.write_table(table)
                    blobs.append(pa.array([sink.getvalue().to_pybytes()], pa.binary()))
                yield pa.RecordBatch.from_arrays(
                    [
                        pa.array([part], pa.int32()),
                        pa.array([seq], pa.int64()),
                        pa.array([part_rows.num_rows], pa.int64()),
                        *blobs,
                    ],
                    names=_STAGE_COLUMNS,
                )
                position += part_rows.num_rows
                seq += 1
        yield pa.RecordBatch.from_arrays(
            [
                pa.array([part], pa.int32()),
                pa.array([_COUNT_SEQ], pa.int64()),
                pa.array([position - 1], pa.int64()),
                *[pa.array([None], pa.binary()) for _ in TABLES],
            ],
            names=_STAGE_COLUMNS,
        )

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
) -> SparkTables:
    """Verifies every row of ``df`` (its ``case_column`` holds a case as JSON) on Spark.

    Args:
        df: a Spark DataFrame; only ``case_column`` is read.
        case_column: the column with the case JSON (``string`` or ``binary``).
        as_of: issue time of every report (RFC 3339 text or an aware ``datetime``); ``None``
            for now on the Beijing clock, read once on the driver so that every task uses the
            same instant.
        rulebook: a :class:`hedui.Rulebook`; ``None`` for the built-in one. It is shipped to
            the tasks as JSON and read once per task.
        slice_rows: input rows per IPC message of the persisted stage.

    Returns:
        :class:`SparkTables`; nothing runs until an action on one of its DataFrames, and then
        every case is verified once (the stage is persisted).

    Raises:
        hedui.InputError: ``case_column`` is not a column of ``df``, or a bad ``as_of``.
    """
    import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]
    from pyspark import StorageLevel  # type: ignore[import-not-found, unused-ignore]
    from pyspark.sql import Window  # type: ignore[import-not-found, unused-ignore]
    from pyspark.sql import functions as F  # type: ignore[import-not-found, unused-ignore]
    from pyspark.sql.pandas.types import to_arrow_schema  # type: ignore[import-not-found, unused-ignore]

    if case_column not in df.columns:
        raise hedui.InputError(f"the DataFrame has no column `{case_column}` (columns: {', '.join(df.columns)})")
    if slice_rows < 1:
        raise hedui.InputError("`slice_rows` must be at least 1")
    as_of_text = _as_of_text(as_of)
    # check the time (and the rulebook) on the driver, so that a bad argument is one error
    # here and not one per task
    hedui.verify_arrow(pa.table({"case": pa.array([], pa.string())}), "case", rulebook, as_of_text)
    rulebook_json = (rulebook if rulebook is not None else hedui.Rulebook.default()).to_json()

    cases = df.select(F.col(case_column).alias("case"))
    stage = cases.mapInArrow(
        _verify_partitions(rulebook_json, as_of_text, slice_rows), _STAGE_SCHEMA
    ).persist(StorageLevel.MEMORY_AND_DISK)

    frames: dict[str, _DataFrame] = {}
    for name in TABLES:
        schema = spark_schema(name)
        target = to_arrow_schema(schema, timezone="UTC")
        rows = stage.filter(F.col("seq") != _COUNT_SEQ).select("part", name)
        if name != "errors":
            frames[name] = rows.mapInArrow(_decode(name, target, with_part=False), schema)
            continue
        # errors: positions counted within each partition, made global with the row counts
        # of the partitions before it
        with_part = pa.schema([pa.field("__part", pa.int32(), nullable=False), *target])
        from pyspark.sql.pandas.types import from_arrow_schema  # type: ignore[import-not-found, unused-ignore]

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
    return SparkTables(stage=stage, **frames)
