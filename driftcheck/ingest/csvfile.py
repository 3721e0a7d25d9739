"""CSV reader for notes and claims (named ``csvfile`` so it does not shadow the stdlib ``csv``).

Row numbers in errors are *physical line numbers* of the line where the record starts, with
the header on line 1 — so the first data row is row 2, and a note whose text spans five lines
moves the next record's number by five. That is what a user sees in an editor (``vim +41``)
and what ``grep -n`` prints, which is the point of giving a number at all.
"""

from __future__ import annotations

import csv
import itertools
import logging
import re
import sys
from collections.abc import Iterator
from pathlib import Path

from driftcheck.errors import InputError
from driftcheck.ingest.common import (
    CLAIMS,
    ROW_FIELD,
    Kind,
    RowProblem,
    display_name,
    make_builder,
    open_text,
    row_error,
)
from driftcheck.model import ClaimLine, Note, RowError

logger = logging.getLogger(__name__)

_DELIMITERS = (",", ";", "\t", "|")
_HEADER_RE = re.compile(r"[\s\-]+")


def _raise_field_size_limit() -> None:
    """Allow fields as large as the platform permits: one note can exceed csv's 128 KiB default."""
    limit = sys.maxsize
    while True:
        try:
            csv.field_size_limit(limit)
            return
        except OverflowError:  # C long is 32-bit on Windows
            limit //= 2


def normalize_header(name: str) -> str:
    """``" Patient ID"`` → ``"patient_id"``: exports vary in case, spacing and hyphens."""
    return _HEADER_RE.sub("_", name.strip().lstrip("\ufeff").strip().lower())


def _sniff_delimiter(header_line: str, path: Path) -> str:
    """Tab for ``.tsv``; otherwise the most frequent of ``, ; TAB |`` in the header line.

    European spreadsheet exports use ``;``; looking only at the header (column names, no PHI,
    no quoting surprises) is enough to tell.
    """
    if path.suffix.lower() == ".tsv" or path.name.lower().endswith(".tsv.gz"):
        return "\t"
    counts = {d: header_line.count(d) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def check_header(columns: list[str], kind: Kind, name: str) -> None:
    """Fail the whole file when a required column is missing.

    A missing column means every row would fail the same way; one clear error naming the
    column beats a million identical row errors.

    Raises:
        InputError: naming the missing column(s) and the columns found.
    """
    present = set(columns)
    found = ", ".join(c for c in columns if c) or "none"
    missing = [col for col in kind.required if col not in present]
    if missing:
        cols = ", ".join(f"'{c}'" for c in missing)
        raise InputError(f"{name}: missing required {kind.name} column {cols} (found columns: {found})")
    if kind is CLAIMS and "note_id" not in present and not {"patient_id", "date"} <= present:
        raise InputError(
            f"{name}: missing required claims column 'note_id' (or both 'patient_id' and 'date'; "
            f"found columns: {found})"
        )


def read_csv(path: Path, kind: Kind) -> Iterator[Note | ClaimLine | RowError]:
    """Stream records of ``kind`` from a CSV/TSV file, one per row, errors inline.

    Args:
        path: the file (``.csv``, ``.tsv``, optionally ``.gz``).
        kind: :data:`~driftcheck.ingest.common.NOTES` or ``CLAIMS``.

    Yields:
        A record per valid row; a :class:`RowError` per invalid row (the reader goes on).

    Raises:
        InputError: the file cannot be opened, is empty, or lacks a required column.
    """
    name = display_name(path)
    _raise_field_size_limit()
    build = make_builder(kind)
    with open_text(path) as fh:
        header_line = fh.readline()
        if not header_line.strip():
            raise InputError(f"{name}: file is empty (expected a header row)")
        delimiter = _sniff_delimiter(header_line, path)
        reader = csv.reader(itertools.chain([header_line], fh), delimiter=delimiter)
        columns = [normalize_header(c) for c in next(reader)]
        check_header(columns, kind, name)
        # First occurrence wins for duplicated columns; unknown columns are simply ignored.
        wanted = set(kind.required) | set(kind.optional)
        index = {}
        for i, col in enumerate(columns):
            if col in wanted and col not in index:
                index[col] = i
        width = len(columns)
        previous_end = reader.line_num
        while True:
            start = previous_end + 1
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                if reader.line_num == previous_end:  # no progress: stop rather than spin
                    raise InputError(f"{name} row {start}: unreadable CSV ({exc})") from None
                previous_end = reader.line_num
                # csv.Error messages describe the syntax problem, never the field contents.
                yield row_error(name, start, RowProblem(ROW_FIELD, f"malformed CSV ({exc})"))
                continue
            previous_end = reader.line_num
            if not any(cell.strip() for cell in row):
                continue  # blank line
            if len(row) > width and any(cell.strip() for cell in row[width:]):
                yield row_error(
                    name,
                    start,
                    RowProblem(ROW_FIELD, f"has {len(row)} fields but the header has {width}; check quoting"),
                )
                continue
            fields = {col: (row[i] if i < len(row) else None) for col, i in index.items()}
            try:
                yield build(fields)
            except RowProblem as problem:
                yield row_error(name, start, problem)
