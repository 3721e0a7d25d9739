"""CSV reader: realistic notes and claims, bad rows, headers, encodings, big fields."""

from __future__ import annotations

import csv
import gzip
import io
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from driftcheck.errors import InputError
from driftcheck.ingest import IngestEncodingWarning, read_claims, read_notes
from driftcheck.model import ClaimLine, Note

HEADER = "patient_id,note_id,date,text\n"


def test_csv_notes_fixture_reads_every_note_with_metadata(split, data: Path) -> None:
    notes, errors = split(read_notes(data / "notes.csv"))
    assert errors == []
    assert [n.note_id for n in notes] == ["N-P001-1", "N-P001-2", "N-P002-1", "N-P002-2", "N-P003-1"]
    first = notes[0]
    assert first == Note(
        patient_id="P001",
        note_id="N-P001-1",
        date=date(2024, 1, 8),
        text=first.text,
        provider_id="DR-ALVAREZ",
        note_type="progress",
        payer="MEDICARE",
        status="signed",
    )
    assert first.text.count("\n") == 4 and first.text.startswith("CHIEF COMPLAINT: Low back pain")
    assert '"worse with computer work"' in notes[2].text  # doubled quotes unescaped
    assert notes[2].date == date(2024, 1, 15)  # datetime with offset -> its date
    assert notes[2].status == "signed"  # blank status defaults to signed
    assert notes[3].status == "draft"
    assert notes[4].provider_id is None and notes[4].payer is None


def test_csv_bad_rows_name_file_row_field_and_batch_continues(split, data: Path) -> None:
    records = list(read_notes(data / "notes_bad.csv"))
    notes, errors = split(records)
    assert [n.note_id for n in notes] == ["N-P010-1", "N-P010-6"]
    # Physical line numbers: the header is line 1, so data rows start at 2.
    assert [(e.file, e.row, e.field) for e in errors] == [
        ("notes_bad.csv", 3, "date"),
        ("notes_bad.csv", 4, "note_id"),
        ("notes_bad.csv", 5, "text"),
        ("notes_bad.csv", 6, "status"),
    ]
    raw = (data / "notes_bad.csv").read_text(encoding="utf-8")
    for err in errors:
        line = str(err)
        assert line.startswith(f"notes_bad.csv row {err.row}: field '{err.field}': ")
        assert "\n" not in line
        for cell in next(csv.reader(io.StringIO(raw.splitlines()[err.row - 1]))):
            if len(cell) > 3:
                assert cell not in line, "a field value leaked into the error"
    assert "got 10 characters" in str(errors[0])


def test_csv_row_number_is_the_physical_line_where_a_multiline_record_starts(split, tmp_path: Path) -> None:
    path = tmp_path / "notes.csv"
    path.write_text(
        HEADER + 'P1,N1,2024-01-01,"line one\nline two\nline three"\nP1,N2,2024-99-01,"pain 4/10"\n',
        encoding="utf-8",
    )
    _, errors = split(read_notes(path))
    assert [(e.row, e.field) for e in errors] == [(5, "date")]


def test_csv_missing_required_column_fails_the_whole_file(tmp_path: Path) -> None:
    path = tmp_path / "notes.csv"
    path.write_text("patient_id,note_id,date,body\nP1,N1,2024-01-01,x\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"\[D-E001\] notes.csv: missing required notes column 'text'"):
        list(read_notes(path))


def test_csv_claims_need_note_id_or_patient_and_date_columns(tmp_path: Path) -> None:
    path = tmp_path / "claims.csv"
    path.write_text("claim_id,code,patient_id\nC1,99213,P1\n", encoding="utf-8")
    with pytest.raises(InputError, match="'note_id' \\(or both 'patient_id' and 'date'"):
        list(read_claims(path))


def test_csv_header_is_case_and_space_insensitive_and_extra_columns_ignored(tmp_path: Path) -> None:
    path = tmp_path / "notes.csv"
    path.write_text(" Patient ID ,Note-ID,DATE,Text,Room\nP1,N1,2024-01-01,Pain 5/10,12\n", encoding="utf-8")
    [note] = read_notes(path)
    assert (note.patient_id, note.note_id, note.text) == ("P1", "N1", "Pain 5/10")


def test_csv_row_with_too_many_fields_is_a_row_error(split, tmp_path: Path) -> None:
    path = tmp_path / "notes.csv"
    path.write_text(
        HEADER + "P1,N1,2024-01-01,Pain 5/10, then 4/10\nP1,N2,2024-01-02,ok,\n", encoding="utf-8"
    )
    notes, errors = split(read_notes(path))
    assert [(e.row, e.field) for e in errors] == [(2, "(row)")]
    assert "check quoting" in errors[0].problem
    assert [n.note_id for n in notes] == ["N2"]  # a trailing empty cell is fine


def test_csv_utf8_bom_is_stripped_without_warning(tmp_path: Path, recwarn: pytest.WarningsRecorder) -> None:
    path = tmp_path / "notes.csv"
    path.write_bytes(b"\xef\xbb\xbf" + (HEADER + "P1,N1,2024-01-01,Caf\u00e9 visit\n").encode("utf-8"))
    [note] = read_notes(path)
    assert note.patient_id == "P1" and note.text == "Café visit"
    assert not [w for w in recwarn if issubclass(w.category, IngestEncodingWarning)]


def test_csv_cp1252_falls_back_with_warning_and_keeps_accents(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes((HEADER + "P1,N1,2024-01-01,Caf\u00e9 \u2013 pain \u201c6/10\u201d\n").encode("cp1252"))
    with pytest.warns(IngestEncodingWarning, match=r"export.csv: not valid UTF-8 .*read as cp1252"):
        [note] = read_notes(path)
    assert note.text == "Café – pain “6/10”"


def test_csv_bytes_undefined_in_cp1252_fall_back_to_latin1(tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    path.write_bytes(HEADER.encode() + b"P1,N1,2024-01-01,Caf\xe9 \x81\n")
    with pytest.warns(IngestEncodingWarning, match="read as latin-1"):
        [note] = read_notes(path)
    assert note.text == "Café \x81"


def test_csv_non_utf8_byte_late_in_file_decodes_the_whole_file_one_way(tmp_path: Path) -> None:
    rows = "".join(f"P1,N{i},2024-01-01,Se\u00f1or visit {i}\n" for i in range(2000))
    path = tmp_path / "late.csv"
    # Everything UTF-8 except one cp1252 byte at the very end: the file is not UTF-8.
    path.write_bytes((HEADER + rows).encode("cp1252"))
    with pytest.warns(IngestEncodingWarning, match="cp1252"):
        notes = list(read_notes(path))
    assert all(n.text.startswith("Señor") for n in notes)


def test_csv_utf16_excel_export_is_read(tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes((HEADER + "P1,N1,2024-01-01,Pain 5/10\n").encode("utf-16"))
    [note] = read_notes(path)
    assert note.text == "Pain 5/10"


def test_csv_semicolon_delimited_tsv_and_gzip(tmp_path: Path) -> None:
    semi = tmp_path / "semi.csv"
    semi.write_text("patient_id;note_id;date;text\nP1;N1;2024-01-01;Pain 5/10, better\n", encoding="utf-8")
    tsv = tmp_path / "notes.tsv"
    tsv.write_text(
        "patient_id\tnote_id\tdate\ttext\nP1\tN1\t2024-01-01\tPain 5/10, better\n", encoding="utf-8"
    )
    gz = tmp_path / "notes.csv.gz"
    gz.write_bytes(gzip.compress((HEADER + 'P1,N1,2024-01-01,"Pain 5/10, better"\n').encode()))
    for path in (semi, tsv, gz):
        [note] = read_notes(path)
        assert note.text == "Pain 5/10, better", path.name


def test_csv_very_large_text_field_is_read(tmp_path: Path) -> None:
    text = "Pain 6/10. " * 40_000  # 440 kB, beyond csv's 128 kB default limit
    path = tmp_path / "big.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(
            [["patient_id", "note_id", "date", "text"], ["P1", "N1", "2024-01-01", text]]
        )
    [note] = read_notes(path)
    assert note.text == text


def test_csv_reader_is_lazy(tmp_path: Path) -> None:
    path = tmp_path / "notes.csv"
    path.write_text(HEADER + "".join(f"P1,N{i},2024-01-01,Pain {i % 10}/10\n" for i in range(1000)))
    records = read_notes(path)
    assert next(records).note_id == "N0"  # a generator: nothing else read yet


def test_csv_claims_fixture(split, data: Path) -> None:
    lines, errors = split(read_claims(data / "claims.csv"))
    assert errors == []
    assert lines[0] == ClaimLine(
        claim_id="C100",
        code="99214",
        note_id="N-P001-1",
        modifiers=("25",),
        units=1,
        diagnoses=("M54.16", "M51.26"),
        payer="MEDICARE",
        line=1,
    )
    assert [(c.claim_id, c.line) for c in lines] == [
        ("C100", 1),
        ("C100", 2),
        ("C101", 1),
        ("C102", 1),
        ("C102", 2),
    ]
    assert lines[2].note_id is None and lines[2].patient_id == "P001" and lines[2].date == date(2024, 2, 12)
    assert lines[2].units == 1  # blank units default to 1
    assert lines[3].modifiers == ("50",)  # JSON list in a cell
    assert lines[4].modifiers == ("50", "59") and lines[4].units == 2


def test_csv_bad_claim_rows_are_reported_and_skipped(split, data: Path) -> None:
    lines, errors = split(read_claims(data / "claims_bad.csv"))
    assert [(e.row, e.field) for e in errors] == [
        (3, "units"),
        (4, "units"),
        (5, "note_id"),
        (6, "code"),
        (7, "modifiers"),
        (8, "date"),
    ]
    assert [c.claim_id for c in lines] == ["C200", "C204"]
    # Running line numbers count bad rows too, so fixing a row does not renumber the rest.
    assert [c.line for c in lines] == [1, 1]


# --- properties --------------------------------------------------------------------------------

note_texts = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    min_size=1,
    max_size=200,
).filter(lambda t: t.strip() != "")


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(note_texts, min_size=1, max_size=8))
def test_csv_round_trips_any_note_text(split, tmp_path: Path, texts: list[str]) -> None:
    path = tmp_path / "rt.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["patient_id", "note_id", "date", "text"])
        writer.writerows(["P1", f"N{i}", "2024-01-01", t] for i, t in enumerate(texts))
    notes, errors = split(read_notes(path))
    assert errors == []
    assert [n.text for n in notes] == texts


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(newlines=st.lists(st.integers(0, 4), min_size=1, max_size=8), bad=st.data())
def test_csv_error_row_is_the_physical_start_line(
    split, tmp_path: Path, newlines: list[int], bad: st.DataObject
) -> None:
    bad_index = bad.draw(st.integers(0, len(newlines) - 1))
    lines = [HEADER]
    expected_row, line_no = 0, 2
    for i, n in enumerate(newlines):
        day = "2024-02-31" if i == bad_index else "2024-02-01"
        if i == bad_index:
            expected_row = line_no
        text = "\n".join(f"part {k}" for k in range(n + 1))
        lines.append(f'P1,N{i},{day},"{text}"\n')
        line_no += n + 1
    path = tmp_path / "rows.csv"
    path.write_text("".join(lines), encoding="utf-8")
    _, errors = split(read_notes(path))
    assert [(e.row, e.field) for e in errors] == [(expected_row, "date")]
