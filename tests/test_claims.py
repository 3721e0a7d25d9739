"""Claim lines tied to notes, orphans, and each note's claim history."""

from __future__ import annotations

from datetime import date

from driftcheck.claims import claim_history_for, lines_by_patient, tie_claims
from driftcheck.model import ClaimLine, Note

D1, D2, D3 = date(2025, 5, 1), date(2025, 5, 8), date(2025, 5, 15)


def note(pid: str, nid: str, day: date, status: str = "signed") -> Note:
    return Note(patient_id=pid, note_id=nid, date=day, text="x", status=status)


NOTES = [note("P1", "A", D1), note("P1", "B", D2), note("P2", "C", D2)]


def test_tie_by_note_id_fills_patient_and_date() -> None:
    by_note, orphans = tie_claims(NOTES, [ClaimLine(claim_id="C1", code="64483", note_id="B")])
    assert not orphans
    (tied,) = by_note["B"]
    assert (tied.patient_id, tied.date, tied.note_id) == ("P1", D2, "B")


def test_tie_by_patient_and_date() -> None:
    by_note, orphans = tie_claims(NOTES, [ClaimLine(claim_id="C1", code="99213", patient_id="P2", date=D2)])
    assert not orphans and by_note["C"][0].note_id == "C"


def test_unknown_note_id_falls_back_to_patient_and_date() -> None:
    line = ClaimLine(claim_id="C1", code="99213", note_id="ZZ", patient_id="P1", date=D1)
    by_note, orphans = tie_claims(NOTES, [line])
    assert not orphans and by_note["A"][0].note_id == "A"


def test_orphans_no_note_for_date_or_unknown_id() -> None:
    lines = [ClaimLine(claim_id="C1", code="64483", patient_id="P1", date=D3),
             ClaimLine(claim_id="C2", code="64483", note_id="ZZ"),
             ClaimLine(claim_id="C3", code="64483", patient_id="P9", date=D1)]
    by_note, orphans = tie_claims(NOTES, lines)
    assert by_note == {} and [o.claim_id for o in orphans] == ["C1", "C2", "C3"]


def test_note_id_of_another_patient_is_not_a_match() -> None:
    line = ClaimLine(claim_id="C1", code="64483", note_id="C", patient_id="P1", date=D3)
    _, orphans = tie_claims(NOTES, [line])
    assert orphans == [line]


def test_same_day_notes_prefer_signed_then_lowest_id() -> None:
    notes = [note("P1", "Z", D1), note("P1", "M", D1, status="draft"), note("P1", "Y", D1)]
    by_note, _ = tie_claims(notes, [ClaimLine(claim_id="C1", code="99213", patient_id="P1", date=D1)])
    assert list(by_note) == ["Y"]


def test_claim_history_for_is_patient_lines_up_to_date_excluding_own() -> None:
    lines = [ClaimLine(claim_id="C1", code="64483", note_id="A"),
             ClaimLine(claim_id="C2", code="64483", note_id="B"),
             ClaimLine(claim_id="C3", code="99213", note_id="C"),
             ClaimLine(claim_id="C4", code="20553", patient_id="P1", date=D2, note_id=None),
             ClaimLine(claim_id="C5", code="20553", patient_id="P1", date=D3)]
    by_note, orphans = tie_claims(NOTES, lines)
    tied = [ln for ls in by_note.values() for ln in ls]
    history = claim_history_for(NOTES[1], tied + orphans)
    assert [h.claim_id for h in history] == ["C1"]  # C4 tied to B itself, C3 other patient, C5 later
    later = claim_history_for(note("P1", "L", D3), tied + orphans)
    assert [h.claim_id for h in later] == ["C1", "C2", "C4", "C5"]  # C5: an untied line of that date


def test_lines_by_patient_groups_tied_lines() -> None:
    by_note, _ = tie_claims(NOTES, [ClaimLine(claim_id="C1", code="1", note_id="A"),
                                    ClaimLine(claim_id="C2", code="2", note_id="C")])
    grouped = lines_by_patient(by_note)
    assert {k: [ln.claim_id for ln in v] for k, v in grouped.items()} == {"P1": ["C1"], "P2": ["C2"]}
