"""Claim lines joined to the visits they bill.

A claim line names its visit either directly (``note_id``) or by patient and date of service.
Rules need both views: the lines that stand on *this* note, and the patient's other lines up to
this date (frequency windows, same-month totals, same-day primaries). Lines that match no note
are kept as orphans: a billed service with no documentation is itself a finding (DC301).

Only :mod:`driftcheck.model` and :mod:`driftcheck.errors` are imported, so ingest and analyze
can both use this module without a cycle.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date

from driftcheck.model import ClaimLine, Note


def tie_claims(
    notes: Iterable[Note], lines: Iterable[ClaimLine]
) -> tuple[dict[str, list[ClaimLine]], list[ClaimLine]]:
    """Tie each claim line to one note.

    A line with a ``note_id`` that exists goes to that note. Otherwise a line with
    ``patient_id`` + ``date`` goes to that patient's note of that date; when several notes share
    the date, signed notes win over drafts and then the lowest ``note_id`` (deterministic, and a
    same-day procedure note and E/M note are still reviewed together through ``claim_history``).
    A line whose ``note_id`` is unknown falls back to patient + date when it has both.

    Tied lines are returned with ``patient_id`` and ``date`` filled from the note when they were
    missing, so every later window or month computation can rely on them.

    Args:
        notes: the notes (any order, any patients).
        lines: the claim lines.

    Returns:
        ``(by_note, orphans)``: lines per note id in input order, and lines that matched no note.
    """
    by_id: dict[str, Note] = {}
    by_day: dict[tuple[str, date], list[Note]] = defaultdict(list)
    for note in notes:
        by_id[note.note_id] = note
        by_day[(note.patient_id, note.date)].append(note)
    for same_day in by_day.values():
        same_day.sort(key=lambda n: (n.status != "signed", n.note_id))

    by_note: dict[str, list[ClaimLine]] = {}
    orphans: list[ClaimLine] = []
    for line in lines:
        note = by_id.get(line.note_id) if line.note_id else None
        if note is not None and line.patient_id and line.patient_id != note.patient_id:
            note = None  # a note id from another patient is a data error, not a match
        if note is None and line.patient_id and line.date:
            candidates = by_day.get((line.patient_id, line.date))
            note = candidates[0] if candidates else None
        if note is None:
            orphans.append(line)
            continue
        by_note.setdefault(note.note_id, []).append(_fill(line, note))
    return by_note, orphans


def claim_history_for(note: Note, lines: Iterable[ClaimLine]) -> list[ClaimLine]:
    """The patient's claim lines dated on or before ``note``'s date, other than its own.

    This is :attr:`driftcheck.rules.base.RuleContext.claim_history`: lines of earlier visits
    (frequency windows, same-month time totals) and of other same-day notes (a procedure note
    billed separately from the E/M note). Lines need ``patient_id`` and ``date``; pass the lines
    returned by :func:`tie_claims`, which fills them in. Sorted by date, claim id and line.

    Args:
        note: the note under review.
        lines: claim lines of the patient (others are ignored).
    """
    out = [
        line for line in lines
        if line.patient_id == note.patient_id
        and line.date is not None
        and line.date <= note.date
        and line.note_id != note.note_id
    ]
    out.sort(key=lambda line: (line.date or date.min, line.claim_id, line.line))
    return out


def lines_by_patient(by_note: dict[str, list[ClaimLine]]) -> dict[str, list[ClaimLine]]:
    """All tied lines grouped by patient (for building each note's claim history)."""
    out: dict[str, list[ClaimLine]] = defaultdict(list)
    for lines in by_note.values():
        for line in lines:
            if line.patient_id:
                out[line.patient_id].append(line)
    return dict(out)


def orphan_sort_key(line: ClaimLine) -> tuple[str, date, str, int]:
    """Deterministic order for orphan lines (patient, date, claim, line)."""
    return (line.patient_id or "", line.date or date.min, line.claim_id, line.line)


def _fill(line: ClaimLine, note: Note) -> ClaimLine:
    """The line with note id, patient and date of service taken from its note where missing."""
    changes: dict[str, object] = {}
    if line.note_id != note.note_id:
        changes["note_id"] = note.note_id
    if not line.patient_id:
        changes["patient_id"] = note.patient_id
    if line.date is None:
        changes["date"] = note.date
    return dataclasses.replace(line, **changes) if changes else line  # type: ignore[arg-type]


__all__: Sequence[str] = ("claim_history_for", "lines_by_patient", "orphan_sort_key", "tie_claims")
