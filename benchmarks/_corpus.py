"""Shared helpers for the benchmarks: synthetic patients as driftcheck records."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from driftcheck.corpus import iter_patients
from driftcheck.model import ClaimLine, Note


def _note(row: dict) -> Note:
    return Note(patient_id=row["patient_id"], note_id=row["note_id"], date=date.fromisoformat(row["date"]),
                text=row["text"], provider_id=row.get("provider_id"), note_type=row.get("note_type"),
                payer=row.get("payer"))


def _claim(row: dict) -> ClaimLine:
    return ClaimLine(claim_id=row["claim_id"], line=row["line"], code=row["code"], note_id=row.get("note_id"),
                     patient_id=row["patient_id"], date=date.fromisoformat(row["date"]),
                     modifiers=tuple(m for m in (row.get("modifiers") or "").split(";") if m),
                     units=int(row.get("units") or 1),
                     diagnoses=tuple(d for d in (row.get("diagnoses") or "").split(";") if d),
                     payer=row.get("payer"))


def patients(n: int, seed: int, visits_min: int = 6, visits_max: int = 24) -> Iterator[tuple[list[Note], list[ClaimLine]]]:
    """``(notes, claims)`` per synthetic patient, streamed."""
    for rec in iter_patients(n, seed, visits_min, visits_max):
        yield [_note(r) for r in rec.notes], [_claim(r) for r in rec.claims]
