"""Folder reader: ``<root>/<patient_id>/<YYYY-MM-DD>[_<note_id>].txt``, one note per file.

This is the layout a practice gets from "export each note as a text file", and the easiest
to build by hand for a demo. Claims, if any, sit beside the patient folders as
``<root>/claims.csv`` (or ``claims.jsonl``); :func:`find_claims` locates them.

Errors name the file as ``<patient_id>/<file name>`` (the record's identity, like a row
number in a CSV) with row 1, since each file is a single record.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path

from driftcheck.errors import InputError
from driftcheck.ingest.common import (
    RowProblem,
    decode_bytes,
    parse_date,
    parse_text,
    row_error,
)
from driftcheck.model import Note, RowError

logger = logging.getLogger(__name__)

_NOTE_FILE_RE = re.compile(r"^(?P<date>[^_]+?)(?:_(?P<note_id>.+))?\.txt$", re.IGNORECASE)
_ISO_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

#: Claim files looked for in the root folder, in order of preference.
CLAIM_FILE_NAMES = (
    "claims.csv",
    "claims.jsonl",
    "claims.ndjson",
    "claims.tsv",
    "claims.csv.gz",
    "claims.jsonl.gz",
    "claims.ndjson.gz",
)


def find_claims(root: Path | str) -> Path | None:
    """Return the claims file of a folder-layout corpus, or None when there is none.

    Only the root is searched, and the first name in :data:`CLAIM_FILE_NAMES` wins, so the
    result is predictable when an export leaves both a CSV and a JSONL behind.
    """
    root = Path(root)
    for name in CLAIM_FILE_NAMES:
        candidate = root / name
        if candidate.is_file():
            return candidate
    return None


def _visible(path: Path) -> bool:
    return not path.name.startswith((".", "~"))


def read_textdir(root: Path) -> Iterator[Note | RowError]:
    """Stream notes from a folder layout, patients and dates in sorted order.

    Non-``.txt`` files, hidden files (``.DS_Store``) and deeper folders are ignored, with a
    debug log line, so a README or an images folder does not count as a bad row.

    Yields:
        A :class:`Note` per readable ``.txt`` file (status signed, ``note_id`` from the file
        name or ``<patient_id>-<date>``), a :class:`RowError` per misnamed or empty file.

    Raises:
        InputError: ``root`` is not a readable directory.
    """
    try:
        patients = sorted(p for p in root.iterdir() if p.is_dir() and _visible(p))
    except OSError as exc:
        raise InputError(f"{root.name}: cannot list folder ({exc.strerror or type(exc).__name__})") from None
    for patient_dir in patients:
        patient_id = patient_dir.name.strip()
        for path in sorted(patient_dir.iterdir()):
            if not _visible(path):
                continue
            if path.is_dir() or path.suffix.lower() != ".txt":
                logger.debug("ignored %s/%s (not a .txt note file)", patient_id, path.name)
                continue
            yield _read_note_file(path, patient_id)


def _read_note_file(path: Path, patient_id: str) -> Note | RowError:
    rel = f"{patient_id}/{path.name}"
    match = _NOTE_FILE_RE.match(path.name)
    try:
        if not match or not _ISO_DATE_RE.match(match["date"]):
            raise RowProblem(
                "date", f"file name must be YYYY-MM-DD[_note_id].txt (got {len(path.stem)} characters)"
            )
        service_date = parse_date(match["date"], "date")
        note_id = (match["note_id"] or "").strip() or f"{patient_id}-{service_date.isoformat()}"
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise RowProblem("text", f"cannot read file ({exc.strerror or type(exc).__name__})") from None
        text = parse_text(decode_bytes(data, rel), "text")
    except RowProblem as problem:
        return row_error(rel, 1, problem)
    return Note(patient_id=patient_id, note_id=note_id, date=service_date, text=text)
