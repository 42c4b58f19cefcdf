"""Streaming verification: results chunk by chunk, in input order, with bounded memory."""

from __future__ import annotations

import datetime as _dt
import itertools
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, NamedTuple, Optional, Union

from hedui._hedui import ArgumentTypeError, Rulebook, verify_batch
from hedui.types import BatchError, Report

__all__ = ["BatchChunk", "iter_verify_batch"]

_BEIJING = _dt.timezone(_dt.timedelta(hours=8))


class BatchChunk(NamedTuple):
    """The results of one chunk of :func:`iter_verify_batch`."""

    first_position: int
    """Position of the chunk's first case (1-based: line of a JSONL file, or index + 1)."""
    reports: list[Report]
    """Sealed reports of the chunk's good cases, in input order."""
    errors: list[BatchError]
    """Rejected cases of the chunk, in input order, each with its ``position`` in the whole
    input, ``code``, ``message`` and ``path``."""


def _wrong_kind(source: object) -> Optional[str]:
    """What is wrong with ``source`` as a source of cases, or ``None``."""
    root = type(source).__module__.split(".")[0]
    if root in ("pandas", "polars", "pyarrow", "numpy"):
        return (
            f"`source` is a {root} `{type(source).__name__}`, not an iterable of cases: pass a "
            'list of case dicts (`df.to_dict("records")` when each row is one case document) '
            "or build cases from office tables with `hedui.cases_from_tables`"
        )
    if isinstance(source, dict):
        return "`source` is one dict: pass an iterable of cases (use `verify` for one case)"
    if isinstance(source, str) and source.lstrip().startswith(("{", "[")):
        return "`source` is JSON text: pass an iterable of cases or the path of a JSONL file"
    return None


def _positioned(source: Union[Iterable[Any], str, os.PathLike[str]]) -> Iterator[tuple[int, Any]]:
    """The cases of ``source`` with their positions; a JSONL file is read a line at a time,
    blank lines skipped but counted."""
    if isinstance(source, (str, os.PathLike)):
        with open(Path(source), encoding="utf-8", errors="surrogateescape") as lines:
            for n, line in enumerate(lines, start=1):
                if line.strip():
                    yield n, line.rstrip("\r\n")
        return
    yield from enumerate(source, start=1)


def iter_verify_batch(
    source: Union[Iterable[Any], str, os.PathLike[str]],
    rulebook: Optional[Rulebook] = None,
    as_of: Optional[Union[_dt.datetime, str]] = None,
    *,
    chunk_size: int = 1000,
    threads: Optional[int] = None,
    progress: Optional[Callable[[int], object]] = None,
) -> Iterator[BatchChunk]:
    """Verifies cases chunk by chunk and yields each chunk's results, in input order.

    Only one chunk of cases and reports is held at a time, so memory does not grow with the
    input: ``source`` may be a generator or a JSONL file of any length. Each chunk is
    verified on all cores (or ``threads``) by :func:`verify_batch`.

    Args:
        source: an iterable of case dicts (or JSON texts), or the path of a JSONL file.
        rulebook: a ``Rulebook``; ``None`` for the built-in one.
        as_of: issue time of every report; ``None`` for now on the Beijing clock, taken once
            so that every chunk has the same.
        chunk_size: cases per chunk (at least 1).
        threads: cores per chunk; ``None`` for every core.
        progress: called with the number of cases finished after each chunk (a tqdm bar's
            ``update``).

    Yields:
        :class:`BatchChunk` ``(first_position, reports, errors)``; every case is either a
        report or an error with its position in the whole input.

    Raises:
        ArgumentTypeError: ``source`` is a DataFrame, a dict or JSON text, or ``chunk_size``
            is not a positive ``int``.
    """
    wrong = _wrong_kind(source)
    if wrong is not None:
        raise ArgumentTypeError(wrong)
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1:
        raise ArgumentTypeError(f"`chunk_size` must be a positive int, got {chunk_size!r}")
    if as_of is None:
        as_of = _dt.datetime.now(_BEIJING).replace(microsecond=0)
    items = _positioned(source)
    while True:
        chunk = list(itertools.islice(items, chunk_size))
        if not chunk:
            return
        positions = [p for p, _ in chunk]
        result = verify_batch(
            [case for _, case in chunk], rulebook, as_of, threads=threads
        )
        errors = result.errors
        for e in errors:
            e["position"] = positions[e["position"] - 1]
        del chunk
        if progress is not None:
            progress(len(positions))
        yield BatchChunk(positions[0], result.reports, errors)
