"""FHIR R4 reader: DocumentReference → Note, Claim → ClaimLine, with stdlib ``json`` only.

Accepts a Bundle (``.json``; a single resource works too) or bulk-data ndjson (one resource
per line). A full FHIR library would add a heavy dependency to read a handful of fields; the
fields used are listed below and everything else is ignored.

DocumentReference → Note:
    ``id`` (else ``identifier[0].value``) → note_id; ``subject`` (a Patient reference,
    resolved to the Patient resource's ``id`` when the Bundle holds it) → patient_id; date of
    service from ``context.period.start``, else the referenced Encounter's ``period.start``,
    else ``date`` (the document's own timestamp, which may be the later signing date — hence
    last); text from the first ``content[].attachment`` with ``contentType`` text/plain and
    inline base64 ``data`` (``url`` attachments are not fetched); ``docStatus``
    final/amended → signed, preliminary → draft; ``author[0]`` → provider_id; ``type``
    coding code → note_type. ``status`` entered-in-error or superseded is not ingested.

Claim → one ClaimLine per ``item``:
    ``id`` → claim_id; ``item.sequence`` → line; ``item.productOrService.coding`` code →
    code (a CPT/HCPCS system preferred); ``item.modifier[].coding[0].code`` → modifiers;
    ``item.quantity.value`` → units; ``item.servicedDate`` / ``servicedPeriod.start`` (else
    ``billablePeriod.start``) → date; ``item.diagnosisSequence`` (else every
    ``diagnosis``) → diagnoses; ``patient`` → patient_id; ``insurer`` → payer;
    ``item.encounter`` → note_id of the DocumentReference for the same Encounter.

Row numbers: the 1-based ``entry`` index in a Bundle, the physical line number in ndjson.
Field names in errors are FHIR paths (``item[2].quantity``), which is where the user must look.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from driftcheck.errors import InputError
from driftcheck.ingest.common import (
    CLAIMS,
    ROW_FIELD,
    Kind,
    LineCounter,
    RowProblem,
    claim_from_fields,
    decode_bytes,
    display_name,
    open_binary,
    open_text,
    parse_date,
    parse_status,
    parse_text,
    row_error,
)
from driftcheck.ingest.jsonl import iter_json_lines
from driftcheck.model import ClaimLine, Note, RowError

logger = logging.getLogger(__name__)

_SKIPPED_STATUSES = frozenset({"entered-in-error", "superseded"})
_CODE_SYSTEM_HINTS = ("cpt", "hcpcs")


@dataclass
class _Index:
    """What a resource may point at elsewhere in the file: patients, encounters, documents."""

    patients: dict[str, str] = field(default_factory=dict)  # reference key -> patient_id
    encounter_start: dict[str, str] = field(default_factory=dict)  # reference key -> period.start
    note_by_encounter: dict[str, str] = field(default_factory=dict)  # encounter key -> note_id
    # Every key of an Encounter -> all its keys: a document may cite ``urn:uuid:...`` while the
    # claim cites ``Encounter/E2``, and the Encounter may come after both in the file.
    encounter_keys: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def add(self, resource: dict[str, Any], full_url: str | None) -> None:
        rtype = resource.get("resourceType")
        keys = _self_keys(resource, full_url)
        if rtype == "Patient":
            pid = _str(resource.get("id")) or _first_identifier(resource)
            for key in keys:
                if pid:
                    self.patients[key] = pid
        elif rtype == "Encounter":
            start = _str(_get(resource, "period", "start"))
            for key in keys:
                self.encounter_keys[key] = tuple(keys)
                if start:
                    self.encounter_start[key] = start
        elif rtype == "DocumentReference":
            note_id = _resource_id(resource, full_url)
            for enc in _as_list(_get(resource, "context", "encounter")):
                key = _ref_key(enc)
                if key and note_id:
                    self.note_by_encounter.setdefault(key, note_id)

    def encounter_lookup(self, ref: Any, table: dict[str, str]) -> str | None:
        """Look an Encounter reference up in ``table`` under any key of that Encounter."""
        key = _ref_key(ref)
        if not key:
            return None
        for alias in self.encounter_keys.get(key, (key,)):
            if alias in table:
                return table[alias]
        return None

    def patient_id(self, ref: Any) -> str | None:
        """Resolve a Patient reference: the Bundle's Patient id, else the reference's own id."""
        if not isinstance(ref, dict):
            return None
        key = _ref_key(ref)
        if key and key in self.patients:
            return self.patients[key]
        if key and key.startswith("Patient/"):
            return key.split("/", 1)[1]
        ident = ref.get("identifier")
        if isinstance(ident, dict) and _str(ident.get("value")):
            return _str(ident.get("value"))
        return key.rsplit(":", 1)[-1] if key else None


# --------------------------------------------------------------------------------------------
# Small JSON helpers (FHIR is deeply nested and every level is optional)
# --------------------------------------------------------------------------------------------


def _get(obj: Any, *path: str | int) -> Any:
    for step in path:
        if isinstance(step, int):
            if not isinstance(obj, list) or len(obj) <= step:
                return None
        elif not isinstance(obj, dict):
            return None
        obj = obj[step] if isinstance(step, int) else obj.get(step)
    return obj


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else ([] if value is None else [value])


def _str(value: Any) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip()
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return None


def _first_identifier(resource: dict[str, Any]) -> str | None:
    for ident in _as_list(resource.get("identifier")):
        value = _str(_get(ident, "value"))
        if value:
            return value
    return None


def _resource_id(resource: dict[str, Any], full_url: str | None) -> str | None:
    rid = _str(resource.get("id")) or _first_identifier(resource)
    if rid:
        return rid
    if full_url:
        return full_url.rsplit(":", 1)[-1].rsplit("/", 1)[-1] or None
    return None


def _ref_key(ref: Any) -> str | None:
    """Canonical key of a reference: ``Type/id`` for relative or absolute URLs, else as given."""
    reference = _str(_get(ref, "reference")) if isinstance(ref, dict) else None
    if not reference:
        return None
    if reference.startswith(("urn:uuid:", "urn:oid:")):
        return reference
    parts = reference.split("/_history/")[0].rstrip("/").split("/")
    return "/".join(parts[-2:]) if len(parts) >= 2 else reference


def _self_keys(resource: dict[str, Any], full_url: str | None) -> list[str]:
    keys = []
    rtype, rid = _str(resource.get("resourceType")), _str(resource.get("id"))
    if rtype and rid:
        keys.append(f"{rtype}/{rid}")
    if full_url:
        keys.append(_ref_key({"reference": full_url}) or full_url)
    return keys


def _code(concept: Any, prefer: tuple[str, ...] = ()) -> str | None:
    """The code of a CodeableConcept, preferring a coding whose system mentions ``prefer``."""
    codings = [c for c in _as_list(_get(concept, "coding")) if isinstance(c, dict) and _str(c.get("code"))]
    for coding in codings:
        system = str(coding.get("system") or "").lower()
        if any(hint in system for hint in prefer):
            return _str(coding.get("code"))
    return _str(codings[0].get("code")) if codings else None


# --------------------------------------------------------------------------------------------
# Resources -> records
# --------------------------------------------------------------------------------------------


def _note(resource: dict[str, Any], full_url: str | None, index: _Index) -> Note:
    status = _str(resource.get("status"))
    if status in _SKIPPED_STATUSES:
        raise RowProblem("status", f"is {status}; not ingested")
    note_id = _resource_id(resource, full_url)
    if not note_id:
        raise RowProblem("id", "is missing (no id, identifier or fullUrl)")
    patient_id = index.patient_id(resource.get("subject"))
    if not patient_id:
        raise RowProblem("subject", "is missing or is not a Patient reference")
    raw_date = _get(resource, "context", "period", "start")
    date_field = "context.period.start"
    if raw_date is None:
        for enc in _as_list(_get(resource, "context", "encounter")):
            start = index.encounter_lookup(enc, index.encounter_start)
            if start:
                raw_date, date_field = start, "Encounter.period.start"
                break
    if raw_date is None:
        raw_date, date_field = resource.get("date"), "date"
    if raw_date is None:
        raise RowProblem("date", "is missing (no context.period.start, encounter period or date)")
    service_date = parse_date(raw_date, date_field)
    text = parse_text(_attachment_text(resource, note_id), "content.attachment.data")
    author = _as_list(resource.get("author"))
    provider = None
    if author:
        key = _ref_key(author[0])
        provider = key.rsplit("/", 1)[-1] if key else _str(_get(author[0], "display"))
    return Note(
        patient_id=patient_id,
        note_id=note_id,
        date=service_date,
        text=text,
        provider_id=provider,
        note_type=_code(resource.get("type")) or _str(_get(resource, "type", "text")),
        status=parse_status(resource.get("docStatus"), "docStatus"),
    )


def _attachment_text(resource: dict[str, Any], note_id: str) -> str:
    attachments = [_get(c, "attachment") for c in _as_list(resource.get("content"))]
    attachments = [a for a in attachments if isinstance(a, dict)]
    plain = [a for a in attachments if str(a.get("contentType") or "").lower().startswith("text/plain")]
    if not plain:
        raise RowProblem(
            "content", f"no text/plain attachment (found {len(attachments)} attachment(s) of other types)"
        )
    inline = [a for a in plain if isinstance(a.get("data"), str)]
    if not inline:
        raise RowProblem("content.attachment.data", "is missing (url attachments are not fetched)")
    attachment = inline[0]
    try:
        data = base64.b64decode(attachment["data"], validate=False)
    except (binascii.Error, ValueError):
        raise RowProblem("content.attachment.data", "is not valid base64") from None
    charset = None
    for param in str(attachment.get("contentType")).split(";")[1:]:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            charset = value.strip().strip('"')
    try:
        return decode_bytes(data, f"DocumentReference/{note_id}", charset)
    except LookupError:
        return decode_bytes(data, f"DocumentReference/{note_id}")


def _claim_lines(
    resource: dict[str, Any], full_url: str | None, index: _Index, lines: LineCounter
) -> Iterator[ClaimLine | RowProblem]:
    status = _str(resource.get("status"))
    if status == "entered-in-error":
        yield RowProblem("status", "is entered-in-error; not ingested")
        return
    claim_id = _resource_id(resource, full_url)
    if not claim_id:
        yield RowProblem("id", "is missing (no id, identifier or fullUrl)")
        return
    items = _as_list(resource.get("item"))
    if not items:
        yield RowProblem("item", "claim has no items")
        return
    patient_id = index.patient_id(resource.get("patient"))
    payer = _str(_get(resource, "insurer", "display"))
    if not payer:
        key = _ref_key(resource.get("insurer"))
        payer = key.rsplit("/", 1)[-1] if key else None
    diagnoses: dict[int, str] = {}
    for pos, diag in enumerate(_as_list(resource.get("diagnosis")), start=1):
        seq = _get(diag, "sequence")
        code = _code(_get(diag, "diagnosisCodeableConcept"), ("icd",))
        if code:
            diagnoses[seq if isinstance(seq, int) else pos] = code
    billable_start = _get(resource, "billablePeriod", "start")
    for i, item in enumerate(items):
        path = f"item[{i}]"
        if not isinstance(item, dict):
            yield RowProblem(path, "expected an object")
            continue
        pointers = [p for p in _as_list(item.get("diagnosisSequence")) if isinstance(p, int)]
        item_diagnoses = (
            [diagnoses[p] for p in pointers if p in diagnoses] if pointers else list(diagnoses.values())
        )
        note_id = None
        for enc in _as_list(item.get("encounter")):
            note_id = index.encounter_lookup(enc, index.note_by_encounter)
            if note_id:
                break
        fields = {
            "claim_id": claim_id,
            "line": item.get("sequence"),
            "code": _code(item.get("productOrService"), _CODE_SYSTEM_HINTS),
            "modifiers": [m for m in (_code(mod) for mod in _as_list(item.get("modifier"))) if m],
            "units": _get(item, "quantity", "value"),
            "date": item.get("servicedDate") or _get(item, "servicedPeriod", "start") or billable_start,
            "diagnoses": item_diagnoses,
            "patient_id": patient_id,
            "note_id": note_id,
            "payer": payer,
        }
        try:
            yield claim_from_fields(fields, lines)
        except RowProblem as problem:
            yield RowProblem(_FHIR_PATHS.get(problem.field, problem.field).format(path), problem.problem)


_FHIR_PATHS = {
    "line": "{}.sequence",
    "code": "{}.productOrService",
    "modifiers": "{}.modifier",
    "units": "{}.quantity",
    "date": "{}.servicedDate",
    "diagnoses": "{}.diagnosisSequence",
    "note_id": "patient",  # a line needs a patient (or an encounter tied to a document)
    "patient_id": "patient",
}


# --------------------------------------------------------------------------------------------
# Files
# --------------------------------------------------------------------------------------------


def _bundle_entries(path: Path) -> list[tuple[int, str | None, Any]]:
    """Load a Bundle (or single resource) file as ``(entry number, fullUrl, resource)``.

    A Bundle is one JSON document, so it is parsed whole; large exports should use ndjson,
    which streams.
    """
    name = display_name(path)
    with open_text(path) as fh:
        try:
            doc = json.load(fh)
        except json.JSONDecodeError as exc:
            raise InputError(
                f"{name}: not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})"
            ) from None
    if not isinstance(doc, dict) or "resourceType" not in doc:
        raise InputError(
            f"{name}: not a FHIR resource or Bundle (no resourceType); notes/claims as JSON go in "
            "a .jsonl file, one object per line"
        )
    if doc.get("resourceType") != "Bundle":
        return [(1, None, doc)]
    return [
        (n, _str(_get(entry, "fullUrl")), _get(entry, "resource"))
        for n, entry in enumerate(_as_list(doc.get("entry")), start=1)
    ]


def _ndjson_entries(path: Path) -> Iterator[tuple[int, str | None, Any]]:
    for lineno, obj in iter_json_lines(path):
        yield lineno, None, obj


def read_fhir(path: Path, kind: Kind, *, ndjson: bool) -> Iterator[Note | ClaimLine | RowError]:
    """Stream Notes (kind NOTES) or ClaimLines (kind CLAIMS) from a FHIR Bundle or ndjson file.

    References are resolved within the file: ndjson is read twice (first for Patient,
    Encounter and DocumentReference links, then for records) so memory holds only the link
    tables, never the documents.

    Raises:
        InputError: the file cannot be opened, or a ``.json`` file is not FHIR.
    """
    name = display_name(path)
    index = _Index()
    entries: Iterable[tuple[int, str | None, Any]]
    if ndjson:
        for _, full_url, resource in _ndjson_entries(path):
            if isinstance(resource, dict):
                index.add(resource, full_url)
        entries = _ndjson_entries(path)
    else:
        entries = _bundle_entries(path)
        for _, full_url, resource in entries:
            if isinstance(resource, dict):
                index.add(resource, full_url)
    wanted = "Claim" if kind is CLAIMS else "DocumentReference"
    lines = LineCounter()
    for row, full_url, resource in entries:
        if isinstance(resource, RowProblem):
            yield row_error(name, row, resource)
            continue
        if not isinstance(resource, dict):
            yield row_error(name, row, RowProblem(ROW_FIELD, "entry has no resource object"))
            continue
        if resource.get("resourceType") != wanted:
            continue
        if kind is CLAIMS:
            for out in _claim_lines(resource, full_url, index, lines):
                yield row_error(name, row, out) if isinstance(out, RowProblem) else out
        else:
            try:
                yield _note(resource, full_url, index)
            except RowProblem as problem:
                yield row_error(name, row, problem)


def looks_like_fhir_ndjson(path: Path) -> bool:
    """True when the first non-blank line of a JSON-lines file is a FHIR resource.

    Reads only up to that line (bytes, lenient decoding): this is a format sniff, the real
    read validates the encoding.
    """
    with open_binary(path) as fh:
        try:
            for raw in fh:
                if not raw.strip():
                    continue
                try:
                    obj = json.loads(raw.decode("utf-8", errors="replace").lstrip("\ufeff"))
                except (json.JSONDecodeError, RecursionError):
                    return False
                return isinstance(obj, dict) and isinstance(obj.get("resourceType"), str)
        except (OSError, EOFError):
            return False  # unreadable: the real read reports it
    return False
