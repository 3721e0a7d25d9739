"""Shared pieces of the ingest readers: opening files, encodings, and field parsing.

Every reader turns a *row* (a CSV record, a JSON object, a file in a folder, a FHIR resource)
into a plain ``dict`` of raw field values and hands it to :func:`note_from_fields` or
:func:`claim_from_fields`. Parsing and validation therefore live in one place, so a date or a
units value means the same thing whatever format it arrived in.

PHI rule: nothing here ever puts a field *value* into an error or log message. Errors say
which field, what was expected, and how long the value was ("got 10 characters"), because
ids, dates and free text can all identify a patient and error output ends up in CI logs.
"""

from __future__ import annotations

import codecs
import functools
import gzip
import io
import json
import logging
import re
import warnings
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from driftcheck.errors import InputError
from driftcheck.model import ClaimLine, Note, RowError

logger = logging.getLogger(__name__)

#: Columns/keys a notes row must have.
NOTE_REQUIRED = ("patient_id", "note_id", "date", "text")
#: Columns/keys a notes row may have; anything else is ignored.
NOTE_OPTIONAL = ("provider_id", "note_type", "payer", "status")
#: Columns/keys every claims row must have (plus ``note_id`` or ``patient_id`` + ``date``).
CLAIM_REQUIRED = ("claim_id", "code")
CLAIM_OPTIONAL = ("note_id", "patient_id", "date", "modifiers", "units", "diagnoses", "payer", "line")

#: Pseudo field name for problems with a whole row (bad JSON, wrong field count).
ROW_FIELD = "(row)"

_CHUNK = 1 << 20  # bytes per read when validating an encoding: bounded memory on 1 GB files

# Accepted spellings of note status. EHR exports say "final"/"preliminary" (FHIR docStatus)
# as often as "signed"/"draft"; they mean the same thing for billing.
_SIGNED = frozenset({"signed", "final", "amended", "complete", "completed", "current"})
_DRAFT = frozenset({"draft", "preliminary", "unsigned", "pending", "in-progress", "incomplete"})

# CPT and HCPCS Level II codes are always five characters (CPT: 5 digits or 4 digits + F/T/U;
# HCPCS: a letter + 4 digits). Anything else is a column mix-up, not a code.
_CODE_RE = re.compile(r"^[A-Z0-9]{5}$")
_MODIFIER_RE = re.compile(r"^[A-Z0-9]{2}$")
_ICD10_RE = re.compile(r"^[A-Z][0-9][0-9A-Z](?:\.?[0-9A-Z]{1,4})?$")
_SPLIT_RE = re.compile(r"[;,|\s]+")


class IngestEncodingWarning(UserWarning):
    """An input file was not UTF-8 and was decoded with a fallback encoding.

    A warning rather than an error: cp1252 exports from Windows EHRs are common and read
    correctly, but the user should know which encoding was assumed.
    """


class RowProblem(ValueError):
    """One field of one row is invalid; the reader turns it into a :class:`RowError`."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem


# --------------------------------------------------------------------------------------------
# Files and encodings
# --------------------------------------------------------------------------------------------


def display_name(path: Path) -> str:
    """Name used in errors: the basename (paths can contain patient names in folder layouts)."""
    return path.name


@contextmanager
def open_binary(path: Path) -> Iterator[IO[bytes]]:
    """Open ``path`` for binary reading, transparently un-gzipping ``*.gz`` files.

    Raises:
        InputError: the file is missing or unreadable.
    """
    try:
        raw: IO[bytes] = gzip.open(path, "rb") if path.suffix == ".gz" else open(path, "rb")  # noqa: SIM115
    except OSError as exc:
        raise InputError(
            f"{display_name(path)}: cannot open ({exc.strerror or type(exc).__name__})"
        ) from None
    try:
        yield raw
    finally:
        raw.close()


def _unreadable(path: Path, exc: BaseException) -> InputError:
    """The error for a file that opens but cannot be read (the message may quote bytes: drop it)."""
    kind = "not a valid gzip file" if isinstance(exc, gzip.BadGzipFile | EOFError) else type(exc).__name__
    return InputError(f"{display_name(path)}: cannot read ({kind})")


def _first_bad_byte(path: Path, encoding: str) -> int | None:
    """Return the byte offset of the first byte ``encoding`` cannot decode, or None.

    Streams the file in 1 MiB chunks: the whole file is validated before any row is yielded,
    so a stray byte in row nine million cannot leave rows one to N decoded differently from
    the rest. The cost is one extra sequential read.
    """
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    offset = 0
    with open_binary(path) as fh:
        while True:
            try:
                chunk = fh.read(_CHUNK)
                decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as exc:
                return offset + exc.start
            except (OSError, EOFError) as exc:  # e.g. a corrupt or truncated gzip stream
                raise _unreadable(path, exc) from None
            if not chunk:
                return None
            offset += len(chunk)


def detect_encoding(path: Path) -> str:
    """Pick the codec to read ``path`` with (cached per file version; see :func:`_detect`).

    Readers may open a file more than once (FHIR ndjson resolves references in a first
    pass); the cache keeps that to one validation pass and one warning.
    """
    try:
        stat = path.stat()
    except OSError as exc:
        raise InputError(
            f"{display_name(path)}: cannot open ({exc.strerror or type(exc).__name__})"
        ) from None
    return _detect(path.resolve(), stat.st_size, stat.st_mtime_ns, stat.st_ino)


@functools.lru_cache(maxsize=64)
def _detect(path: Path, size: int, mtime_ns: int, inode: int) -> str:
    """Pick the codec to read ``path`` with: UTF-8 (BOM or not), else cp1252, else latin-1.

    A UTF-16 byte-order mark selects UTF-16 (Excel's "Unicode text" export). Falling back
    emits an :class:`IngestEncodingWarning` naming the file, the encoding used and the offset
    of the first non-UTF-8 byte; it never decodes with ``errors="replace"``, so text is never
    silently mangled.
    """
    with open_binary(path) as fh:
        try:
            head = fh.read(4)
        except (OSError, EOFError) as exc:
            raise _unreadable(path, exc) from None
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and not head.startswith(codecs.BOM_UTF8):
        return "utf-16"
    bad = _first_bad_byte(path, "utf-8")
    if bad is None:
        return "utf-8-sig"  # strips a BOM if there is one, plain UTF-8 otherwise
    # cp1252 leaves five bytes undefined; latin-1 decodes every byte, so it is the last resort.
    encoding = "cp1252" if _first_bad_byte(path, "cp1252") is None else "latin-1"
    warn_fallback(display_name(path), encoding, bad)
    return encoding


def warn_fallback(name: str, encoding: str, bad_offset: int) -> None:
    """Warn that ``name`` was not UTF-8 (byte offset only, never the bytes)."""
    message = f"{name}: not valid UTF-8 (first bad byte at offset {bad_offset}); read as {encoding}"
    logger.warning(message)
    warnings.warn(message, IngestEncodingWarning, stacklevel=3)


def decode_bytes(data: bytes, name: str, charset: str | None = None) -> str:
    """Decode an in-memory payload (a text file, a FHIR attachment) with the same fallbacks.

    Args:
        data: the raw bytes.
        name: what to call the payload in a warning (file basename, resource id).
        charset: a declared charset (FHIR ``contentType: text/plain; charset=...``); tried
            first, and a wrong declaration falls back like an undeclared one.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    candidates = ["utf-8-sig"]
    if charset and codecs.lookup(charset).name not in ("utf-8", "utf-8-sig"):
        candidates.insert(0, charset)
    for encoding in candidates:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as exc:
            bad = exc.start
    for encoding in ("cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        warn_fallback(name, encoding, bad)
        return text
    raise AssertionError("latin-1 decodes every byte")  # pragma: no cover


@contextmanager
def open_text(path: Path) -> Iterator[IO[str]]:
    """Open ``path`` as text with the detected encoding and no newline translation.

    ``newline=""`` is what the csv module requires, and it keeps ``\\r\\n`` inside note text
    as written, so character offsets match what the EHR shows.
    """
    encoding = detect_encoding(path)
    with open_binary(path) as raw:
        text = io.TextIOWrapper(raw, encoding=encoding, newline="")
        try:
            yield text
        finally:
            text.detach()


# --------------------------------------------------------------------------------------------
# Field parsing (raw value -> typed value, or RowProblem)
# --------------------------------------------------------------------------------------------


def _describe(value: Any) -> str:
    """Describe a bad value without showing it: its length or its JSON type."""
    if isinstance(value, str):
        return f"got {len(value)} characters"
    return f"got {_json_type(value)}"


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def is_blank(value: Any) -> bool:
    """True for a missing value: None, or a string of only whitespace."""
    return value is None or (isinstance(value, str) and not value.strip())


def parse_id(value: Any, field: str) -> str:
    """A required identifier: a non-empty string (JSON numbers are accepted and stringified).

    Ids are stripped because CSV exports pad them; they are compared as exact strings after
    that (``"007"`` and ``"7"`` are different patients).
    """
    if is_blank(value):
        raise RowProblem(field, "is missing or empty")
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise RowProblem(field, f"expected a string id ({_describe(value)})")
    return str(value).strip()


def parse_optional_str(value: Any, field: str) -> str | None:
    """An optional short string (provider, note type, payer); blank means absent."""
    if is_blank(value):
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise RowProblem(field, f"expected a string ({_describe(value)})")
    return str(value).strip()


def parse_date(value: Any, field: str = "date") -> date:
    """An ISO 8601 date, or a datetime of which the date is taken.

    The date is taken *as written* (no time-zone conversion): ``2024-03-05T23:30-05:00`` is a
    visit on 5 March, which is what the clinician and the claim both say.
    """
    if is_blank(value):
        raise RowProblem(field, "is missing or empty")
    if not isinstance(value, str):
        raise RowProblem(field, f"expected an ISO 8601 date string ({_describe(value)})")
    text = value.strip()
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
        return datetime.fromisoformat(text).date()
    except ValueError:
        raise RowProblem(field, f"is not an ISO 8601 date like 2024-03-05 ({_describe(value)})") from None


def parse_optional_date(value: Any, field: str = "date") -> date | None:
    """Like :func:`parse_date`, but blank means absent."""
    return None if is_blank(value) else parse_date(value, field)


def parse_text(value: Any, field: str = "text") -> str:
    """Note text: a non-blank string, kept exactly as given (offsets point into it)."""
    if value is None:
        raise RowProblem(field, "is missing")
    if not isinstance(value, str):
        raise RowProblem(field, f"expected a string ({_describe(value)})")
    if not value.strip():
        raise RowProblem(field, f"is empty ({_describe(value)})")
    return value


def parse_status(value: Any, field: str = "status") -> str:
    """``signed`` (default) or ``draft``; common EHR synonyms are mapped onto those two."""
    if is_blank(value):
        return "signed"
    if not isinstance(value, str):
        raise RowProblem(field, f"expected 'signed' or 'draft' ({_describe(value)})")
    word = value.strip().lower()
    if word in _SIGNED:
        return "signed"
    if word in _DRAFT:
        return "draft"
    raise RowProblem(field, f"expected 'signed' or 'draft' ({_describe(value)})")


def parse_positive_int(value: Any, field: str, default: int) -> int:
    """A positive integer; ``"2"``, ``2`` and ``2.0`` (spreadsheet exports) all mean 2."""
    if is_blank(value):
        return default
    if isinstance(value, bool):
        raise RowProblem(field, "expected a positive whole number (got a boolean)")
    number: float
    if isinstance(value, int | float):
        number = value
    elif isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            raise RowProblem(field, f"expected a positive whole number ({_describe(value)})") from None
    else:
        raise RowProblem(field, f"expected a positive whole number ({_describe(value)})")
    if number != number or number in (float("inf"), float("-inf")) or number != int(number):
        raise RowProblem(field, "expected a positive whole number (got a fraction or non-finite number)")
    if number < 1:
        raise RowProblem(field, "expected a positive whole number (got zero or a negative number)")
    return int(number)


def split_list(value: Any, field: str) -> tuple[str, ...]:
    """A list field: a JSON list, a JSON-list string, or ``;``/``,``/``|``/space separated.

    Items are stripped, upper-cased and de-duplicated in order (codes are case-insensitive
    and a repeated modifier means nothing more).
    """
    if is_blank(value):
        return ()
    items: list[Any]
    if isinstance(value, list):
        items = value
    elif isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            try:
                parsed = json.loads(text)
            except json.JSONDecodeError:
                raise RowProblem(
                    field, f"looks like a JSON list but does not parse ({_describe(value)})"
                ) from None
            if not isinstance(parsed, list):
                raise RowProblem(field, "expected a list")
            items = parsed
        else:
            items = _SPLIT_RE.split(text)
    else:
        raise RowProblem(field, f"expected a list or a ';'-separated string ({_describe(value)})")
    out: list[str] = []
    for item in items:
        if isinstance(item, bool) or not isinstance(item, str | int):
            raise RowProblem(field, f"list items must be strings ({_describe(item)})")
        code = str(item).strip().upper()
        if code and code not in out:
            out.append(code)
    return tuple(out)


def parse_code(value: Any, field: str = "code") -> str:
    """A CPT/HCPCS code: five letters/digits, upper-cased."""
    if is_blank(value):
        raise RowProblem(field, "is missing or empty")
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise RowProblem(field, f"expected a CPT/HCPCS code ({_describe(value)})")
    code = str(value).strip().upper()
    if not _CODE_RE.match(code):
        raise RowProblem(field, f"expected a 5-character CPT/HCPCS code ({_describe(str(value))})")
    return code


def parse_modifiers(value: Any, field: str = "modifiers") -> tuple[str, ...]:
    """Modifiers as ``"25;RT"``, ``"25,RT"``, ``"25 RT"`` or a JSON list; each two characters."""
    mods = split_list(value, field)
    for mod in mods:
        if not _MODIFIER_RE.match(mod):
            raise RowProblem(field, f"each modifier must be 2 letters/digits ({_describe(mod)})")
    return mods


def parse_diagnoses(value: Any, field: str = "diagnoses") -> tuple[str, ...]:
    """ICD-10-CM codes, ``;`` or ``,`` separated, with or without the dot (``M54.16``/``M5416``)."""
    codes = split_list(value, field)
    for code in codes:
        if not _ICD10_RE.match(code):
            raise RowProblem(field, f"expected ICD-10-CM codes like M54.16 ({_describe(code)})")
    return codes


# --------------------------------------------------------------------------------------------
# Row -> record
# --------------------------------------------------------------------------------------------


def note_from_fields(fields: Mapping[str, Any]) -> Note:
    """Build a :class:`Note` from raw fields (CSV strings or JSON values).

    Raises:
        RowProblem: the first invalid field, in column order of :data:`NOTE_REQUIRED`.
    """
    return Note(
        patient_id=parse_id(fields.get("patient_id"), "patient_id"),
        note_id=parse_id(fields.get("note_id"), "note_id"),
        date=parse_date(fields.get("date"), "date"),
        text=parse_text(fields.get("text"), "text"),
        provider_id=parse_optional_str(fields.get("provider_id"), "provider_id"),
        note_type=parse_optional_str(fields.get("note_type"), "note_type"),
        payer=parse_optional_str(fields.get("payer"), "payer"),
        status=parse_status(fields.get("status"), "status"),
    )


class LineCounter:
    """Default ``line`` numbers: the running count of rows seen per ``claim_id``.

    Counted over *every* row carrying a claim id, valid or not, so fixing a bad row and
    re-ingesting the file does not renumber the lines after it (the store keys claim lines
    on ``(claim_id, line)``).
    """

    def __init__(self) -> None:
        self._seen: dict[str, int] = {}

    def next(self, claim_id: str) -> int:
        self._seen[claim_id] = self._seen.get(claim_id, 0) + 1
        return self._seen[claim_id]


def claim_from_fields(fields: Mapping[str, Any], lines: LineCounter) -> ClaimLine:
    """Build a :class:`ClaimLine` from raw fields.

    A line must tie to a note: by ``note_id``, or by ``patient_id`` and ``date`` of service.

    Raises:
        RowProblem: the first invalid field.
    """
    claim_id = parse_id(fields.get("claim_id"), "claim_id")
    running = lines.next(claim_id)
    line = parse_positive_int(fields.get("line"), "line", default=running)
    code = parse_code(fields.get("code"), "code")
    note_id = None if is_blank(fields.get("note_id")) else parse_id(fields.get("note_id"), "note_id")
    patient_id = parse_optional_str(fields.get("patient_id"), "patient_id")
    service_date = parse_optional_date(fields.get("date"), "date")
    if note_id is None and patient_id is None:
        raise RowProblem("note_id", "is missing: give note_id, or patient_id and date")
    if note_id is None and service_date is None:
        raise RowProblem("date", "is missing: a line without note_id needs patient_id and date")
    return ClaimLine(
        claim_id=claim_id,
        code=code,
        note_id=note_id,
        patient_id=patient_id,
        date=service_date,
        modifiers=parse_modifiers(fields.get("modifiers"), "modifiers"),
        units=parse_positive_int(fields.get("units"), "units", default=1),
        diagnoses=parse_diagnoses(fields.get("diagnoses"), "diagnoses"),
        payer=parse_optional_str(fields.get("payer"), "payer"),
        line=line,
    )


def row_error(name: str, row: int, problem: RowProblem) -> RowError:
    """Turn a :class:`RowProblem` into the public :class:`RowError` and log it (ids only)."""
    err = RowError(file=name, row=row, field=problem.field, problem=problem.problem)
    logger.debug("skipped %s", err)
    return err


@dataclass(frozen=True, slots=True)
class Kind:
    """Which record type a reader should produce (the readers share one row loop)."""

    name: str  # "notes" | "claims"
    required: tuple[str, ...]
    optional: tuple[str, ...]


NOTES = Kind("notes", NOTE_REQUIRED, NOTE_OPTIONAL)
CLAIMS = Kind("claims", CLAIM_REQUIRED, CLAIM_OPTIONAL)


Builder = Callable[[Mapping[str, Any]], Note | ClaimLine]


def make_builder(kind: Kind) -> Builder:
    """Return ``fields -> record`` for ``kind``, with per-file state (claim line counters)."""
    if kind is NOTES:
        return note_from_fields
    lines = LineCounter()
    return lambda fields: claim_from_fields(fields, lines)
