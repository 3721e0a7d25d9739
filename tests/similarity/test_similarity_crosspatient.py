"""CrossPatientIndex: the same narrative in different patients' notes, in memory and in SQLite."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from driftcheck.model import Note
from driftcheck.similarity import CrossPatientIndex, PatientIndex
from driftcheck.text.pipeline import process

NARRATIVE = ("HISTORY OF PRESENT ILLNESS: She slipped on wet tiles at the grocery store three weeks ago and "
             "landed on her left hip. Since then she has burning pain from the buttock to the lateral ankle. "
             "Six weeks of physical therapy did not help and she stopped working at the bakery.")
OTHER = ("HISTORY OF PRESENT ILLNESS: He has had neck pain since a rear-end collision in March with "
         "tingling into the right thumb. Chiropractic care helped for a few days at a time.")


def note(pid: str, nid: str, text: str) -> Note:
    return Note(pid, nid, date(2024, 3, 1), text)


@pytest.mark.parametrize("use_sqlite", [False, True])
def test_same_narrative_in_another_patient_is_found(use_sqlite: bool) -> None:
    conn = sqlite3.connect(":memory:") if use_sqlite else None
    index = CrossPatientIndex(conn=conn)
    a, b, c = note("PA", "A1", NARRATIVE), note("PB", "B1", NARRATIVE + "\n"), note("PC", "C1", OTHER)
    for n in (a, b, c):
        index.add(n, process(n.text))
    spans = index.matches(b, process(b.text))
    assert len(spans) >= 2 and {s.source_note_id for s in spans} == {"A1"}
    for s in spans:
        assert b.text[s.start : s.end] == a.text[s.source_start : s.source_end]
    assert index.matches(c, process(c.text)) == []
    if conn is not None:
        cols = [r[1] for r in conn.execute("PRAGMA table_info(similarity_crosspatient)")]
        assert cols == ["key_hash", "patient_id", "note_id", "start", "end"]
        index.remove("A1")
        assert index.matches(b, process(b.text)) == []


def test_same_patient_is_not_cross_patient_and_template_is_skipped() -> None:
    index = CrossPatientIndex(template_patients=3)
    notes = [note(f"P{i}", f"N{i}", NARRATIVE) for i in range(3)]
    for n in notes:
        index.add(n, process(n.text))
    # shared by 3 patients -> template
    assert index.matches(notes[0], process(NARRATIVE)) == []
    solo = CrossPatientIndex()
    solo.add(notes[0], process(NARRATIVE))
    assert solo.matches(note("P0", "N9", NARRATIVE), process(NARRATIVE)) == []


def test_patient_index_fills_cross_patient_when_given() -> None:
    cross = CrossPatientIndex()
    cross.add(note("PA", "A1", NARRATIVE), process(NARRATIVE))
    sim = PatientIndex(cross_patient=cross).compare(note("PB", "B1", NARRATIVE), process(NARRATIVE))
    assert sim.cross_patient and not sim.carried


def test_same_template_with_other_numbers_or_exam_text_is_not_reuse() -> None:
    """Another patient's facts differ in their numbers; exam wording is templated per provider."""
    index = CrossPatientIndex()
    a = note("PA", "A1", "HPI: 79-year-old man referred by urgent care for evaluation of low back pain.\n"
                         "EXAM: A jump sign is present over the left iliocostalis lumborum muscle belly.")
    b = note("PB", "B1", "HPI: 76-year-old man referred by urgent care for evaluation of low back pain.\n"
                         "EXAM: A jump sign is present over the left iliocostalis lumborum muscle belly.")
    for n in (a, b):
        index.add(n, process(n.text))
    assert index.matches(b, process(b.text)) == []
