"""FHIR R4 reader: DocumentReference -> Note, Claim -> ClaimLine, references resolved."""

from __future__ import annotations

import base64
import json
from datetime import date
from pathlib import Path

import pytest

from driftcheck.errors import InputError
from driftcheck.ingest import detect_format, read_claims, read_notes


@pytest.mark.parametrize("name", ["fhir_bundle.json", "fhir.ndjson"])
def test_fhir_document_references_become_notes(split, data: Path, name: str) -> None:
    notes, errors = split(read_notes(data / name))
    by_id = {n.note_id: n for n in notes}
    assert list(by_id) == ["DR-1", "DR-2", "DR-3"]
    dr1 = by_id["DR-1"]
    assert dr1.patient_id == "P001"  # urn:uuid subject resolved through the Bundle's Patient
    assert dr1.date == date(2024, 1, 8)  # context.period.start, not the later document date
    assert dr1.text.startswith("CHIEF COMPLAINT: Low back pain, 7/10.\nHPI:")  # text/plain, not html
    assert (dr1.provider_id, dr1.note_type, dr1.status) == ("DR-ALVAREZ", "11506-3", "signed")
    dr2 = by_id["DR-2"]
    assert dr2.date == date(2024, 2, 12)  # from the referenced Encounter's period
    assert dr2.status == "draft"  # docStatus preliminary
    dr3 = by_id["DR-3"]
    assert dr3.patient_id == "P002"  # absolute URL with _history
    assert "Café worker" in dr3.text  # declared charset windows-1252 honoured
    assert [(e.file, e.row, e.field) for e in errors] == [
        (name, 6, "content.attachment.data"),
        (name, 7, "status"),
    ]
    assert "url attachments are not fetched" in errors[0].problem


@pytest.mark.parametrize("name", ["fhir_bundle.json", "fhir.ndjson"])
def test_fhir_claim_items_become_claim_lines(split, data: Path, name: str) -> None:
    lines, errors = split(read_claims(data / name))
    first, second = lines
    assert (first.claim_id, first.line, first.code, first.modifiers, first.units) == (
        "CL-1",
        1,
        "99213",
        ("25",),
        1,
    )
    assert first.note_id == "DR-2"  # same Encounter as the DocumentReference
    assert first.patient_id == "P001" and first.date == date(2024, 2, 12)
    assert first.diagnoses == ("M54.16",)  # diagnosisSequence [1]
    assert first.payer == "MEDICARE"
    assert second.code == "J1030"  # HCPCS coding preferred over a local code
    assert second.units == 2 and second.diagnoses == ("M54.16", "M51.26")  # no pointers: all
    assert second.date == date(2024, 2, 12)  # billablePeriod.start fallback
    assert [(e.row, e.field) for e in errors] == [(8, "item[2].quantity")]


def test_fhir_single_resource_json_and_non_fhir_json(tmp_path: Path) -> None:
    doc = {
        "resourceType": "DocumentReference",
        "id": "D1",
        "subject": {"reference": "Patient/P5"},
        "date": "2024-06-01T12:00:00+02:00",
        "content": [
            {"attachment": {"contentType": "text/plain", "data": base64.b64encode(b"Pain 2/10").decode()}}
        ],
    }
    single = tmp_path / "doc.json"
    single.write_text(json.dumps(doc), encoding="utf-8")
    [note] = read_notes(single)
    assert (note.patient_id, note.note_id, note.date, note.text) == (
        "P5",
        "D1",
        date(2024, 6, 1),
        "Pain 2/10",
    )
    plain = tmp_path / "notes.json"
    plain.write_text(json.dumps([{"patient_id": "P1"}]), encoding="utf-8")
    with pytest.raises(InputError, match="not a FHIR resource or Bundle"):
        list(read_notes(plain))
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    with pytest.raises(InputError, match="not valid JSON"):
        list(read_notes(broken))


def test_fhir_problems_are_row_errors(split, tmp_path: Path) -> None:
    bundle = {
        "resourceType": "Bundle",
        "entry": [
            {
                "resource": {
                    "resourceType": "DocumentReference",
                    "id": "D1",
                    "date": "2024-01-01",
                    "content": [{"attachment": {"contentType": "text/plain", "data": "UGFpbg=="}}],
                }
            },
            {
                "resource": {
                    "resourceType": "DocumentReference",
                    "id": "D2",
                    "subject": {"reference": "Patient/P1"},
                    "date": "2024-01-01",
                    "content": [{"attachment": {"contentType": "application/pdf"}}],
                }
            },
            {
                "resource": {
                    "resourceType": "DocumentReference",
                    "id": "D3",
                    "subject": {"reference": "Patient/P1"},
                    "content": [{"attachment": {"contentType": "text/plain", "data": "UGFpbg=="}}],
                }
            },
            {
                "resource": {
                    "resourceType": "Claim",
                    "id": "C1",
                    "item": [{"sequence": 1, "productOrService": {"coding": [{"code": "99213"}]}}],
                }
            },
            {"resource": {"resourceType": "Claim", "id": "C2", "patient": {"reference": "Patient/P1"}}},
            {"fullUrl": "urn:uuid:x"},
        ],
    }
    path = tmp_path / "b.json"
    path.write_text(json.dumps(bundle), encoding="utf-8")
    _, note_errors = split(read_notes(path))
    assert [(e.row, e.field) for e in note_errors] == [
        (1, "subject"),
        (2, "content"),
        (3, "date"),
        (6, "(row)"),
    ]
    _, claim_errors = split(read_claims(path))
    assert [(e.row, e.field) for e in claim_errors] == [(4, "patient"), (5, "item"), (6, "(row)")]


def test_fhir_ndjson_is_told_apart_from_notes_jsonl(data: Path) -> None:
    assert detect_format(data / "fhir.ndjson") == "fhir-ndjson"
    assert detect_format(data / "notes.jsonl") == "jsonl"
    assert detect_format(data / "fhir_bundle.json") == "fhir-bundle"
