"""JSONL reader: typed values, physical line numbers, bad lines skipped."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from driftcheck.ingest import IngestEncodingWarning, read_claims, read_notes


def test_jsonl_notes_fixture(split, data: Path) -> None:
    notes, errors = split(read_notes(data / "notes.jsonl"))
    assert [n.note_id for n in notes] == ["N-P001-1", "N-P001-2", "N-1002-1", "N-P003-3"]
    assert notes[0].text.count("\n") == 2  # JSON escapes decoded
    assert notes[1].date == date(2024, 2, 12)  # datetime -> date
    assert notes[2].patient_id == "1002"  # numeric id -> string
    assert notes[2].status == "signed"  # "final" is signed
    # Line 3 is blank: numbering is physical, so the following lines keep their editor line.
    assert [(e.file, e.row, e.field) for e in errors] == [
        ("notes.jsonl", 5, "date"),
        ("notes.jsonl", 6, "text"),
        ("notes.jsonl", 7, "(row)"),
        ("notes.jsonl", 8, "(row)"),
    ]
    assert "got a number" in errors[1].problem
    assert "03/01/2024" not in str(errors[0])


def test_jsonl_claims_fixture(split, data: Path) -> None:
    lines, errors = split(read_claims(data / "claims.jsonl"))
    assert [(c.claim_id, c.line, c.code) for c in lines] == [
        ("C100", 1, "99214"),
        ("C100", 2, "64483"),
        ("C101", 7, "99213"),
    ]
    assert lines[0].modifiers == ("25",) and lines[0].diagnoses == ("M54.16", "M51.26")
    assert lines[1].modifiers == ("LT",) and lines[1].units == 1
    assert [(e.row, e.field) for e in errors] == [(4, "units")]


def test_jsonl_missing_required_key_is_a_row_error_not_a_file_error(split, tmp_path: Path) -> None:
    path = tmp_path / "notes.jsonl"
    path.write_text(
        '{"patient_id": "P1", "date": "2024-01-01", "text": "Pain 5/10"}\n'
        '{"patient_id": "P1", "note_id": "N2", "date": "2024-01-02", "text": "Pain 4/10"}\n',
        encoding="utf-8",
    )
    notes, errors = split(read_notes(path))
    assert [n.note_id for n in notes] == ["N2"]
    assert [(e.row, e.field) for e in errors] == [(1, "note_id")]


def test_jsonl_bom_and_cp1252(tmp_path: Path) -> None:
    bom = tmp_path / "bom.jsonl"
    bom.write_bytes(b"\xef\xbb\xbf" + b'{"patient_id":"P1","note_id":"N1","date":"2024-01-01","text":"ok"}\n')
    assert next(read_notes(bom)).note_id == "N1"
    legacy = tmp_path / "legacy.jsonl"
    legacy.write_bytes(
        '{"patient_id":"P1","note_id":"N1","date":"2024-01-01","text":"Café"}\n'.encode("cp1252")
    )
    with pytest.warns(IngestEncodingWarning, match="legacy.jsonl.*cp1252"):
        [note] = read_notes(legacy)
    assert note.text == "Café"
