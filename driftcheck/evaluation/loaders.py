"""Gold-file loaders for ``driftcheck eval``.

A gold file that is silently half-read produces plausible but wrong scores, which is worse than
no score. So every loader validates each record fully and stops at the first problem with a
:class:`~driftcheck.errors.GoldFileError` of the form ``"<file> line <N>: field <X>: <problem>"``.
Messages name positions, field names, numbers and labels only; they never quote note text,
because gold notes are clinical text and errors end up in logs.
"""

from __future__ import annotations

import json
import math
from collections.abc import Collection, Iterator, Mapping
from pathlib import Path
from typing import Any

from driftcheck.errors import GoldFileError
from driftcheck.evaluation.records import LABELS, CloneLabel, GoldDoc, GoldSpan, Problem
from driftcheck.model import frozen_attrs

#: Allowed values of the enumerated attributes (CONVENTIONS.md "Attributes").
ENUM_ATTRS: dict[str, frozenset[str]] = {
    "direction": frozenset({"improved", "worsened", "unchanged", "none"}),
    "outcome": frozenset({"failed", "partial", "helped", "unknown"}),
    "scale": frozenset({"nrs", "vas", "other"}),
}
#: Numeric attributes; ``None`` means "not stated" except where REQUIRED_NUMBERS says otherwise.
NUMBER_ATTRS: frozenset[str] = frozenset({"value", "relief_pct", "duration_weeks", "minutes"})
#: String attributes that are not enumerated (modality is a ", "-joined list of modalities).
STRING_ATTRS: frozenset[str] = frozenset({"modality"})


def _where(path: Path | str, lineno: int, field: str) -> str:
    return f"{path} line {lineno}: field {field}"


def _fail(path: Path | str, lineno: int, field: str, problem: str) -> GoldFileError:
    return GoldFileError(f"{_where(path, lineno, field)}: {problem}")


def _type_name(value: Any) -> str:
    """JSON-ish type name of a value, so messages say what was found without echoing it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def read_jsonl(path: Path | str) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield ``(line number, object)`` for each non-blank line of a UTF-8 (optionally BOM) JSONL file.

    Raises:
        GoldFileError: the file cannot be read, is not UTF-8, a line is not JSON, or a line is
            not a JSON object. The message gives the line and column, never the line's text.
    """
    try:
        with open(path, encoding="utf-8-sig") as fh:
            lines = fh.readlines()
    except FileNotFoundError:
        raise GoldFileError(f"{path}: file not found") from None
    except UnicodeDecodeError as exc:
        raise GoldFileError(f"{path}: not UTF-8 (byte offset {exc.start})") from None
    except OSError as exc:
        raise GoldFileError(f"{path}: cannot read ({exc.strerror})") from None
    for lineno, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise _fail(path, lineno, "<record>", f"invalid JSON ({exc.msg} at column {exc.colno})") from None
        if not isinstance(obj, dict):
            raise _fail(path, lineno, "<record>", f"expected a JSON object, found {_type_name(obj)}")
        yield lineno, obj


def _check_offsets(
    path: Path | str, lineno: int, field: str, span: Mapping[str, Any], text_len: int | None
) -> tuple[int, int]:
    """Validate ``start``/``end`` of one span; ``text_len`` None skips the upper bound."""
    for key in ("start", "end"):
        if key not in span:
            raise _fail(path, lineno, f"{field}.{key}", "missing")
        if not _is_int(span[key]):
            raise _fail(path, lineno, f"{field}.{key}", f"expected an integer, found {_type_name(span[key])}")
    start, end = span["start"], span["end"]
    if start < 0:
        raise _fail(path, lineno, f"{field}.start", f"offset {start} is negative")
    if end <= start:
        raise _fail(path, lineno, f"{field}.end", f"end {end} is not after start {start}")
    if text_len is not None and end > text_len:
        raise _fail(path, lineno, f"{field}.end", f"offset {end} is beyond the text length {text_len}")
    return start, end


def _check_label(path: Path | str, lineno: int, field: str, label: Any, known: Collection[str]) -> str:
    if not isinstance(label, str):
        raise _fail(path, lineno, field, f"expected a string, found {_type_name(label)}")
    if label not in known:
        shown = repr(label) if len(label) <= 40 else f"of {len(label)} characters"
        raise _fail(
            path,
            lineno,
            field,
            f"unknown label {shown} (known: {', '.join(sorted(known))}; pass extra_labels to allow others)",
        )
    return label


def _check_attrs(path: Path | str, lineno: int, field: str, attrs: Any) -> dict[str, Any]:
    """Type-check the attributes CONVENTIONS.md defines; unknown attribute names pass through."""
    if attrs is None:
        return {}
    if not isinstance(attrs, dict):
        raise _fail(path, lineno, field, f"expected an object, found {_type_name(attrs)}")
    for name, value in attrs.items():
        where = f"{field}.{name}"
        if name in ENUM_ATTRS:
            allowed = ENUM_ATTRS[name]
            if not isinstance(value, str) or value not in allowed:
                shown = repr(value) if isinstance(value, str) and len(value) <= 20 else _type_name(value)
                raise _fail(path, lineno, where, f"{shown} is not one of {', '.join(sorted(allowed))}")
        elif name in NUMBER_ATTRS:
            if value is not None and not _is_number(value):
                raise _fail(path, lineno, where, f"expected a number or null, found {_type_name(value)}")
        elif name in STRING_ATTRS and value is not None and not isinstance(value, str | list):
            raise _fail(path, lineno, where, f"expected a string, found {_type_name(value)}")
    return attrs


def _spans(
    path: Path | str,
    lineno: int,
    field: str,
    value: Any,
    text: str,
    known: Collection[str],
    with_attrs: bool,
) -> tuple[GoldSpan, ...]:
    if not isinstance(value, list):
        raise _fail(path, lineno, field, f"expected an array, found {_type_name(value)}")
    out: list[GoldSpan] = []
    for i, span in enumerate(value):
        where = f"{field}[{i}]"
        if not isinstance(span, dict):
            raise _fail(path, lineno, where, f"expected an object, found {_type_name(span)}")
        start, end = _check_offsets(path, lineno, where, span, len(text))
        if "label" not in span:
            raise _fail(path, lineno, f"{where}.label", "missing")
        label = _check_label(path, lineno, f"{where}.label", span["label"], known)
        if "text" in span and span["text"] != text[start:end]:
            # Prodigy-style records may repeat the span text; a mismatch means shifted offsets.
            raise _fail(
                path, lineno, f"{where}.text", f"does not equal text[{start}:{end}] (offsets shifted?)"
            )
        attrs = _check_attrs(path, lineno, f"{where}.attrs", span.get("attrs")) if with_attrs else {}
        out.append(GoldSpan(start, end, label, frozen_attrs(attrs)))
    return tuple(out)


def _note_id(path: Path | str, lineno: int, record: Mapping[str, Any]) -> str:
    """``meta.note_id`` (DESIGN.md), falling back to a top-level ``note_id``."""
    meta = record.get("meta")
    if meta is not None and not isinstance(meta, dict):
        raise _fail(path, lineno, "meta", f"expected an object, found {_type_name(meta)}")
    if meta and "note_id" in meta:
        value, field = meta["note_id"], "meta.note_id"
    elif "note_id" in record:
        value, field = record["note_id"], "note_id"
    else:
        raise _fail(path, lineno, "meta.note_id", "missing")
    if not isinstance(value, str) or not value.strip():
        raise _fail(path, lineno, field, f"expected a non-empty string, found {_type_name(value)}")
    return value


def load_extraction_gold(path: Path | str, extra_labels: Collection[str] = ()) -> list[GoldDoc]:
    """Read an extraction gold file (DESIGN.md "Gold files", CONVENTIONS.md record format).

    Each record needs ``text`` (string), ``meta.note_id`` (or top-level ``note_id``) unique in
    the file, and ``spans`` (an array; ``[]`` for a note with no spans — a missing key is an
    error, because an unannotated record would silently count every prediction as wrong).
    ``negated`` is optional. Every span needs integer offsets with
    ``0 <= start < end <= len(text)``, a known label, and attrs of the documented types.

    Args:
        path: the JSONL gold file.
        extra_labels: labels allowed besides the six of DESIGN.md (e.g. for a pilot label).

    Returns:
        The gold documents in file order.

    Raises:
        GoldFileError: ``"<file> line <N>: field <X>: <problem>"`` for the first bad record.
    """
    known = frozenset(LABELS) | frozenset(extra_labels)
    docs: list[GoldDoc] = []
    seen: dict[str, int] = {}
    for lineno, record in read_jsonl(path):
        text = record.get("text")
        if text is None:
            raise _fail(path, lineno, "text", "missing")
        if not isinstance(text, str):
            raise _fail(path, lineno, "text", f"expected a string, found {_type_name(text)}")
        note_id = _note_id(path, lineno, record)
        if note_id in seen:
            raise _fail(
                path, lineno, "meta.note_id", f"duplicate note id {note_id!r} (first on line {seen[note_id]})"
            )
        seen[note_id] = lineno
        if "spans" not in record:
            raise _fail(path, lineno, "spans", "missing (use [] for a note with no spans)")
        spans = _spans(path, lineno, "spans", record["spans"], text, known, with_attrs=True)
        negated = _spans(path, lineno, "negated", record.get("negated", []), text, known, with_attrs=False)
        docs.append(GoldDoc(text, note_id, spans, negated, frozen_attrs(record.get("meta"))))
    return docs


def _copied_span(
    path: Path | str, lineno: int, field: str, value: Any, text_len: int | None
) -> tuple[int, int, str | None]:
    """One copied span: ``[start, end]``, ``[start, end, source_note_id]`` or an object."""
    if isinstance(value, list):
        if len(value) not in (2, 3):
            raise _fail(
                path, lineno, field, f"expected [start, end, source_note_id], found {len(value)} items"
            )
        as_map: dict[str, Any] = {"start": value[0], "end": value[1]}
        if len(value) == 3:
            as_map["source_note_id"] = value[2]
    elif isinstance(value, dict):
        as_map = value
    else:
        raise _fail(path, lineno, field, f"expected an array, found {_type_name(value)}")
    start, end = _check_offsets(path, lineno, field, as_map, text_len)
    source = as_map.get("source_note_id")
    if source is not None and not isinstance(source, str):
        raise _fail(path, lineno, f"{field}.source_note_id", f"expected a string, found {_type_name(source)}")
    return start, end, source


def load_cloning_labels(
    path: Path | str, texts_len: Mapping[str, int] | None = None
) -> dict[str, CloneLabel]:
    """Read cloning labels: JSONL ``{"note_id", "cloned", "copied_spans"?, "kind"?}``.

    ``cloned`` must be a JSON boolean (a string "false" would be truthy, so it is refused).
    ``copied_spans`` items are ``[start, end]`` or ``[start, end, source_note_id]``.

    Args:
        path: the labels file.
        texts_len: note id -> text length from the notes file; when given, every labelled note
            must exist there and copied spans must end within its text.

    Returns:
        Labels by note id.

    Raises:
        GoldFileError: ``"<file> line <N>: field <X>: <problem>"`` for the first bad record.
    """
    out: dict[str, CloneLabel] = {}
    lines: dict[str, int] = {}
    for lineno, record in read_jsonl(path):
        note_id = record.get("note_id")
        if note_id is None:
            raise _fail(path, lineno, "note_id", "missing")
        if not isinstance(note_id, str) or not note_id.strip():
            raise _fail(path, lineno, "note_id", f"expected a non-empty string, found {_type_name(note_id)}")
        if note_id in out:
            raise _fail(
                path, lineno, "note_id", f"duplicate note id {note_id!r} (first on line {lines[note_id]})"
            )
        text_len: int | None = None
        if texts_len is not None:
            if note_id not in texts_len:
                raise _fail(path, lineno, "note_id", f"note id {note_id!r} is not in the notes file")
            text_len = texts_len[note_id]
        cloned = record.get("cloned")
        if cloned is None and "cloned" not in record:
            raise _fail(path, lineno, "cloned", "missing")
        if not isinstance(cloned, bool):
            raise _fail(path, lineno, "cloned", f"expected true or false, found {_type_name(cloned)}")
        raw_spans = record.get("copied_spans")
        spans: tuple[tuple[int, int, str | None], ...] | None = None
        if raw_spans is not None:
            if not isinstance(raw_spans, list):
                raise _fail(path, lineno, "copied_spans", f"expected an array, found {_type_name(raw_spans)}")
            spans = tuple(
                _copied_span(path, lineno, f"copied_spans[{i}]", item, text_len)
                for i, item in enumerate(raw_spans)
            )
        kind = record.get("kind")
        if kind is not None and not isinstance(kind, str):
            raise _fail(path, lineno, "kind", f"expected a string, found {_type_name(kind)}")
        out[note_id] = CloneLabel(cloned, spans, kind)
        lines[note_id] = lineno
    return out


def _optional_str(path: Path | str, lineno: int, record: Mapping[str, Any], key: str) -> str | None:
    value = record.get(key)
    if value is not None and not isinstance(value, str):
        raise _fail(path, lineno, key, f"expected a string or null, found {_type_name(value)}")
    return value


def load_billing_truth(path: Path | str) -> list[Problem]:
    """Read seeded billing problems: JSONL ``{"claim_id", "line", "note_id", "patient_id", "code", "billed_code"}``.

    ``claim_id`` and ``code`` (the DC3xx finding code that should fire) are required; ``line``
    is a positive integer or null/absent (then the problem is claim-level); the rest are
    optional strings. A string ``line`` such as ``"2"`` is accepted, since CSV-born truth files
    often carry it that way.

    Raises:
        GoldFileError: ``"<file> line <N>: field <X>: <problem>"`` for the first bad record.
    """
    out: list[Problem] = []
    for lineno, record in read_jsonl(path):
        for key in ("claim_id", "code"):
            value = record.get(key)
            if value is None:
                raise _fail(path, lineno, key, "missing")
            if not isinstance(value, str) or not value.strip():
                raise _fail(path, lineno, key, f"expected a non-empty string, found {_type_name(value)}")
        line = record.get("line")
        if isinstance(line, str) and line.strip().isdigit():
            line = int(line)
        if line is not None and (not _is_int(line) or line < 1):
            shown = str(line) if _is_int(line) else _type_name(line)
            raise _fail(path, lineno, "line", f"expected a positive integer or null, found {shown}")
        out.append(
            Problem(
                claim_id=record["claim_id"],
                line=line,
                code=record["code"],
                note_id=_optional_str(path, lineno, record, "note_id"),
                patient_id=_optional_str(path, lineno, record, "patient_id"),
                billed_code=_optional_str(path, lineno, record, "billed_code"),
            )
        )
    return out
