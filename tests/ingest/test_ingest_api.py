"""Public ingest API: format detection, eager path errors, summary accounting."""

from __future__ import annotations

from pathlib import Path

import pytest

from driftcheck.errors import InputError
from driftcheck.ingest import IngestSummary, detect_format, ingest_summary, read_claims, read_notes
from driftcheck.model import Note, RowError


def test_detect_format_by_path(data: Path, tmp_path: Path) -> None:
    assert detect_format(data / "notes.csv") == "csv"
    assert detect_format(data / "notes.jsonl") == "jsonl"
    assert detect_format(data / "textdir") == "textdir"
    gz = tmp_path / "notes.ndjson.gz"
    gz.write_bytes(b"")
    assert detect_format(gz) == "jsonl"


def test_missing_path_and_unknown_suffix_fail_at_the_call(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="nope.csv: no such file"):
        read_notes(tmp_path / "nope.csv")
    odd = tmp_path / "notes.xlsx"
    odd.write_bytes(b"PK")
    with pytest.raises(InputError, match=r"unknown input format '.xlsx'"):
        read_claims(odd)


def test_ingest_summary_counts_rows_and_errors(data: Path) -> None:
    summary = ingest_summary(read_notes(data / "notes_bad.csv"))
    assert (summary.rows_read, summary.notes_ok, summary.claims_ok, summary.rows_skipped) == (6, 2, 0, 4)
    assert summary.skipped_by_field == {"date": 1, "note_id": 1, "text": 1, "status": 1}
    assert not summary.ok
    out = summary.as_dict()
    assert (
        out["errors"][0]
        == "notes_bad.csv row 3: field 'date': is not an ISO 8601 date like 2024-03-05 (got 10 characters)"
    )


def test_summary_track_passes_records_and_reports_errors_as_they_come(data: Path) -> None:
    seen: list[RowError] = []
    summary = IngestSummary(max_errors=1)
    notes = list(summary.track(read_notes(data / "notes_bad.csv"), on_error=seen.append))
    assert all(isinstance(n, Note) for n in notes) and len(notes) == 2
    assert len(seen) == 4 and len(summary.errors) == 1  # counts complete, stored list capped
    claims = IngestSummary()
    list(claims.track(read_claims(data / "claims.csv")))
    assert (claims.claims_ok, claims.rows_skipped, claims.ok) == (5, 0, True)


def test_corrupt_gzip_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.csv.gz"
    path.write_bytes(b"not gzip at all")
    with pytest.raises(InputError, match="notes.csv.gz: cannot read"):
        list(read_notes(path))
    ndjson = tmp_path / "notes.ndjson.gz"
    ndjson.write_bytes(b"not gzip at all")
    with pytest.raises(InputError, match="notes.ndjson.gz: cannot read \\(not a valid gzip file\\)"):
        list(read_notes(ndjson))
