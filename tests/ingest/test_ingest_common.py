"""Field parsing shared by every reader: dates, ids, units, lists, status; PHI-safe messages."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from driftcheck.ingest.common import (
    RowProblem,
    decode_bytes,
    parse_code,
    parse_date,
    parse_diagnoses,
    parse_id,
    parse_modifiers,
    parse_positive_int,
    parse_status,
    parse_text,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-03-05", date(2024, 3, 5)),
        (" 2024-03-05 ", date(2024, 3, 5)),
        ("2024-03-05T10:30:00", date(2024, 3, 5)),
        ("2024-03-05T23:30:00-05:00", date(2024, 3, 5)),  # as written, not converted to UTC
        ("2024-03-05T10:30:00Z", date(2024, 3, 5)),
        ("2024-03-05 10:30", date(2024, 3, 5)),
    ],
)
def test_parse_date_accepts_iso_dates_and_datetimes(raw: str, expected: date) -> None:
    assert parse_date(raw) == expected


@pytest.mark.parametrize("raw", ["03/05/2024", "2024-02-30", "yesterday", "2024-13-01T00:00", 20240305])
def test_parse_date_rejects_non_iso_without_echoing_value(raw: object) -> None:
    with pytest.raises(RowProblem) as info:
        parse_date(raw)
    assert info.value.field == "date"
    assert str(raw) not in info.value.problem


@pytest.mark.parametrize(
    "raw", ["25;RT", "25,RT", "25, rt", "25 RT", '["25", "RT"]', ["25", "rt"], "25;RT;25"]
)
def test_parse_modifiers_accepts_every_documented_form(raw: object) -> None:
    assert parse_modifiers(raw) == ("25", "RT")


def test_parse_modifiers_blank_is_empty_and_long_modifier_fails() -> None:
    assert parse_modifiers("") == ()
    assert parse_modifiers(None) == ()
    with pytest.raises(RowProblem, match="2 letters/digits"):
        parse_modifiers("25;LEFT")


@pytest.mark.parametrize(("raw", "expected"), [("2", 2), (3, 3), ("2.0", 2), (4.0, 4), ("", 1), (None, 1)])
def test_parse_positive_int_accepts_whole_numbers(raw: object, expected: int) -> None:
    assert parse_positive_int(raw, "units", default=1) == expected


@pytest.mark.parametrize("raw", ["0", 0, "-1", "1.5", "abc", True, float("nan"), [1]])
def test_parse_positive_int_rejects_others(raw: object) -> None:
    with pytest.raises(RowProblem) as info:
        parse_positive_int(raw, "units", default=1)
    assert info.value.field == "units"


def test_parse_diagnoses_splits_and_validates_icd10() -> None:
    assert parse_diagnoses("M54.16; m51.26,G89.29") == ("M54.16", "M51.26", "G89.29")
    assert parse_diagnoses(["M5416"]) == ("M5416",)
    with pytest.raises(RowProblem, match="ICD-10-CM"):
        parse_diagnoses("low back pain")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("", "signed"), ("Signed", "signed"), ("final", "signed"), ("DRAFT", "draft"), ("preliminary", "draft")],
)
def test_parse_status_maps_synonyms(raw: str, expected: str) -> None:
    assert parse_status(raw) == expected


def test_parse_code_and_id_and_text() -> None:
    assert parse_code(" 64483 ") == "64483"
    assert parse_code("j1030") == "J1030"
    assert parse_id(1002, "patient_id") == "1002"
    assert parse_text("  kept as is \r\n") == "  kept as is \r\n"
    with pytest.raises(RowProblem, match="empty"):
        parse_text(" \n\t ")


def test_decode_bytes_falls_back_to_cp1252_with_warning() -> None:
    with pytest.warns(UserWarning, match=r"note-7: .*read as cp1252"):
        assert decode_bytes("Café 6/10".encode("cp1252"), "note-7") == "Café 6/10"


_MARK = "QZQ"  # never appears in any message template
values = st.text(min_size=0, max_size=40).map(lambda s: _MARK + s)


@given(values)
def test_no_parser_error_ever_contains_the_value(value: str) -> None:
    parsers = [
        lambda v: parse_date(v),
        lambda v: parse_code(v),
        lambda v: parse_modifiers(v),
        lambda v: parse_diagnoses(v),
        lambda v: parse_positive_int(v, "units", default=1),
        lambda v: parse_status(v),
    ]
    for parse in parsers:
        try:
            parse(value)
        except RowProblem as problem:
            assert _MARK not in str(problem)
            assert _MARK not in problem.problem
