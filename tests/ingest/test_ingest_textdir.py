"""Folder layout reader: <root>/<patient_id>/<YYYY-MM-DD>[_<note_id>].txt plus claims.csv."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from driftcheck.ingest import IngestEncodingWarning, find_claims, read_claims, read_notes


def test_textdir_reads_notes_in_patient_and_date_order(split, data: Path) -> None:
    notes, errors = split(read_notes(data / "textdir"))
    assert [(n.patient_id, n.note_id, n.date) for n in notes] == [
        ("P001", "N-P001-1", date(2024, 1, 8)),
        ("P001", "P001-2024-02-12", date(2024, 2, 12)),  # default note_id
        ("P002", "N-P002-1", date(2024, 3, 5)),
    ]
    assert notes[1].text.endswith("home exercise program.\r\n")  # bytes kept as written
    assert all(n.status == "signed" for n in notes)
    # README.md and scan.pdf are ignored; an empty note and a misnamed .txt are row errors.
    assert [(e.file, e.row, e.field) for e in errors] == [
        ("P002/2024-03-19.txt", 1, "text"),
        ("P002/notes-march.txt", 1, "date"),
    ]


def test_textdir_claims_are_found_beside_the_patient_folders(split, data: Path, tmp_path: Path) -> None:
    assert find_claims(data / "textdir") == data / "textdir" / "claims.csv"
    lines, errors = split(read_claims(data / "textdir"))
    assert errors == []
    assert [(c.claim_id, c.line, c.note_id) for c in lines] == [
        ("C300", 1, "N-P001-1"),
        ("C301", 1, "P001-2024-02-12"),
        ("C302", 1, "N-P002-1"),
        ("C302", 2, "N-P002-1"),
    ]
    (tmp_path / "P9").mkdir()
    assert find_claims(tmp_path) is None
    assert list(read_claims(tmp_path)) == []


def test_textdir_prefers_csv_then_jsonl(tmp_path: Path) -> None:
    (tmp_path / "claims.jsonl").write_text("", encoding="utf-8")
    assert find_claims(tmp_path) == tmp_path / "claims.jsonl"
    (tmp_path / "claims.csv").write_text("claim_id,note_id,code\n", encoding="utf-8")
    assert find_claims(tmp_path) == tmp_path / "claims.csv"


def test_textdir_cp1252_note_warns_and_keeps_accents(tmp_path: Path) -> None:
    (tmp_path / "P7").mkdir()
    (tmp_path / "P7" / "2024-05-01_V1.txt").write_bytes("Señora reports pain 5/10.".encode("cp1252"))
    with pytest.warns(IngestEncodingWarning, match="P7/2024-05-01_V1.txt.*cp1252"):
        [note] = read_notes(tmp_path)
    assert note.text == "Señora reports pain 5/10."


def test_textdir_bad_date_in_file_name(split, tmp_path: Path) -> None:
    (tmp_path / "P7").mkdir()
    (tmp_path / "P7" / "2024-02-30_V1.txt").write_text("Pain 5/10.", encoding="utf-8")
    _, errors = split(read_notes(tmp_path))
    assert [(e.file, e.field) for e in errors] == [("P7/2024-02-30_V1.txt", "date")]
