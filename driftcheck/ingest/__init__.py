"""Ingest: read notes and claim lines from CSV, JSONL, a folder of text files, or FHIR R4.

The public API is two generators and a helper::

    for rec in read_notes("notes.csv"):      # Note | RowError, streamed
        ...
    for rec in read_claims("claims.jsonl"):  # ClaimLine | RowError
        ...
    find_claims("corpus/")                   # claims file beside a folder layout, or None

Readers never raise mid-file for a bad record: they yield a :class:`~driftcheck.model.RowError`
(file, row, field, problem — never a value) and go on, so one bad row does not lose a batch.
They raise :class:`~driftcheck.errors.InputError` only when the *whole file* is unusable
(missing, unknown format, a required CSV column absent). :class:`IngestSummary` does the
accounting the CLI prints and turns into an exit code.

Format is picked from the path (see :func:`detect_format`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from driftcheck.errors import InputError
from driftcheck.ingest.common import CLAIMS, NOTES, IngestEncodingWarning, Kind
from driftcheck.ingest.csvfile import read_csv
from driftcheck.ingest.fhir import looks_like_fhir_ndjson, read_fhir
from driftcheck.ingest.jsonl import read_jsonl
from driftcheck.ingest.textdir import find_claims, read_textdir
from driftcheck.model import ClaimLine, Note, RowError

__all__ = [
    "FORMATS",
    "IngestEncodingWarning",
    "IngestSummary",
    "detect_format",
    "find_claims",
    "ingest_summary",
    "read_claims",
    "read_notes",
]

logger = logging.getLogger(__name__)

#: Format names :func:`detect_format` returns.
FORMATS = ("csv", "jsonl", "textdir", "fhir-bundle", "fhir-ndjson")

_CSV_SUFFIXES = (".csv", ".tsv")
_JSONL_SUFFIXES = (".jsonl", ".ndjson")


def _suffix(path: Path) -> str:
    """Lower-case suffix, looking through a trailing ``.gz``."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes.pop()
    return suffixes[-1] if suffixes else ""


def detect_format(path: Path | str) -> str:
    """Name the reader for ``path``: one of :data:`FORMATS`.

    ``.csv``/``.tsv`` → csv; ``.jsonl``/``.ndjson`` → jsonl, or fhir-ndjson when the first
    record has a ``resourceType``; ``.json`` → fhir-bundle; a directory → textdir. Any of the
    file forms may end in ``.gz``.

    Raises:
        InputError: the path does not exist or its suffix is not one of the above.
    """
    path = Path(path)
    if path.is_dir():
        return "textdir"
    if not path.exists():
        raise InputError(f"{path.name}: no such file or folder")
    suffix = _suffix(path)
    if suffix in _CSV_SUFFIXES:
        return "csv"
    if suffix in _JSONL_SUFFIXES:
        return "fhir-ndjson" if looks_like_fhir_ndjson(path) else "jsonl"
    if suffix == ".json":
        return "fhir-bundle"
    raise InputError(
        f"{path.name}: unknown input format {suffix or '(no suffix)'!r}; expected .csv, .tsv, .jsonl, "
        ".ndjson, a FHIR .json Bundle, or a folder <root>/<patient_id>/<YYYY-MM-DD>[_<note_id>].txt"
    )


def _read(path: Path | str, kind: Kind) -> Iterator[Any]:
    """Pick the reader now (so a missing or unknown file fails at the call), read lazily."""
    path = Path(path)
    fmt = detect_format(path)
    logger.debug("reading %s as %s (%s)", path.name, fmt, kind.name)
    if fmt == "csv":
        return read_csv(path, kind)
    if fmt == "jsonl":
        return read_jsonl(path, kind)
    if fmt in ("fhir-ndjson", "fhir-bundle"):
        return read_fhir(path, kind, ndjson=fmt == "fhir-ndjson")
    if kind is NOTES:
        return read_textdir(path)
    claims = find_claims(path)
    if claims is None:
        logger.info("%s: folder has no claims file", path.name)
        return iter(())
    return _read(claims, kind)


def read_notes(path: Path | str) -> Iterator[Note | RowError]:
    """Stream the notes in ``path`` (CSV, JSONL, folder layout or FHIR), errors inline.

    A generator: nothing is read until iterated, and a file is never loaded whole (except a
    FHIR Bundle, which is one JSON document). Drafts are yielded with ``status="draft"``;
    the store decides what to keep.

    Raises:
        InputError: at the call when the path is missing or of unknown format; on first
            iteration when a CSV lacks a required column or the file is unreadable.
    """
    return _read(path, NOTES)


def read_claims(path: Path | str) -> Iterator[ClaimLine | RowError]:
    """Stream the claim lines in ``path``; for a folder, in its :func:`find_claims` file.

    ``line`` defaults to the running count of rows per ``claim_id`` in the file (FHIR: the
    item ``sequence``). A folder without a claims file yields nothing.

    Raises:
        InputError: as for :func:`read_notes`.
    """
    return _read(path, CLAIMS)


@dataclass
class IngestSummary:
    """Counts for one ingest run: what was read, kept, and skipped (and why, by field).

    ``errors`` keeps the first ``max_errors`` RowErrors for the report; the counts are
    always complete. Nothing here holds note text.
    """

    rows_read: int = 0
    notes_ok: int = 0
    claims_ok: int = 0
    rows_skipped: int = 0
    skipped_by_field: dict[str, int] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    max_errors: int = 1000

    def track(
        self,
        records: Iterable[Note | ClaimLine | RowError],
        on_error: Callable[[RowError], None] | None = None,
    ) -> Iterator[Note | ClaimLine]:
        """Pass good records through, counting them, and divert RowErrors into the summary.

        Example::

            summary = IngestSummary()
            store.add_notes(summary.track(read_notes(path), on_error=print_error))
        """
        for rec in records:
            self.rows_read += 1
            if isinstance(rec, RowError):
                self.rows_skipped += 1
                self.skipped_by_field[rec.field] = self.skipped_by_field.get(rec.field, 0) + 1
                if len(self.errors) < self.max_errors:
                    self.errors.append(rec)
                if on_error is not None:
                    on_error(rec)
                continue
            if isinstance(rec, Note):
                self.notes_ok += 1
            else:
                self.claims_ok += 1
            yield rec

    @property
    def ok(self) -> bool:
        """True when no row was skipped (the CLI's exit code depends on it)."""
        return self.rows_skipped == 0

    def as_dict(self) -> dict[str, Any]:
        """Stable JSON form for reports (errors as their one-line strings)."""
        return {
            "rows_read": self.rows_read,
            "notes_ok": self.notes_ok,
            "claims_ok": self.claims_ok,
            "rows_skipped": self.rows_skipped,
            "skipped_by_field": dict(sorted(self.skipped_by_field.items())),
            "errors": [str(e) for e in self.errors],
        }


def ingest_summary(records: Iterable[Note | ClaimLine | RowError]) -> IngestSummary:
    """Consume ``records`` and return only the accounting (a dry-run validation of a file)."""
    summary = IngestSummary()
    for _ in summary.track(records):
        pass
    return summary
