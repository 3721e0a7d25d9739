"""JSONL (newline-delimited JSON) reader for notes and claims: one JSON object per line.

Row numbers in errors are physical line numbers (1-based, blank lines counted), as for CSV,
so ``sed -n 41p notes.jsonl`` shows the offending record.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from driftcheck.ingest.common import (
    ROW_FIELD,
    Kind,
    RowProblem,
    display_name,
    make_builder,
    open_text,
    row_error,
)
from driftcheck.ingest.csvfile import normalize_header
from driftcheck.model import ClaimLine, Note, RowError

logger = logging.getLogger(__name__)


def iter_json_lines(path: Path) -> Iterator[tuple[int, dict[str, Any] | RowProblem]]:
    """Yield ``(line_number, object)`` per non-blank line, or a RowProblem for a bad line.

    Shared with the FHIR ndjson reader. Decoding errors report json's message and column,
    which describe syntax only, never content.
    """
    with open_text(path) as fh:
        for lineno, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                yield lineno, RowProblem(ROW_FIELD, f"not valid JSON ({exc.msg} at column {exc.colno})")
                continue
            except RecursionError:
                yield lineno, RowProblem(ROW_FIELD, "not valid JSON (nested too deeply)")
                continue
            if not isinstance(obj, dict):
                yield lineno, RowProblem(ROW_FIELD, "expected a JSON object per line")
                continue
            yield lineno, obj


def read_jsonl(path: Path, kind: Kind) -> Iterator[Note | ClaimLine | RowError]:
    """Stream records of ``kind`` from a JSONL file; bad lines become :class:`RowError`.

    Keys are matched like CSV headers (case-insensitive, spaces/hyphens as underscores);
    unknown keys are ignored. Values may be JSON strings or, where it makes sense, numbers
    (ids, units) and lists (modifiers, diagnoses).

    Raises:
        InputError: the file cannot be opened.
    """
    name = display_name(path)
    build = make_builder(kind)
    for lineno, obj in iter_json_lines(path):
        if isinstance(obj, RowProblem):
            yield row_error(name, lineno, obj)
            continue
        fields = {normalize_header(str(k)): v for k, v in reversed(obj.items())}
        try:
            yield build(fields)
        except RowProblem as problem:
            yield row_error(name, lineno, problem)
