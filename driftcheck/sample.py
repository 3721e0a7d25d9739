"""Reproducible audit samples and reviewer worksheets for compliance staff.

Auditors review a sample of charts, not all of them, and must be able to show how the sample
was drawn: the same export, seed and strategy always give the same notes. Strategies:

- ``risk``: the highest-risk notes (ties broken by id) — where to look first;
- ``stratified``: equal shares from high / medium / low risk tiers, seeded within each tier —
  estimates error rates without only ever reviewing the worst charts (OIG-style probe samples);
- ``random``: a seeded simple random sample.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TextIO

from driftcheck.model import ClaimVerdict, Finding, NoteRisk

STRATEGIES = ("risk", "stratified", "random")
WORKSHEET_COLUMNS = (
    "sample_no", "patient_id", "note_id", "date", "risk", "tier", "carried_fraction", "source_note_id",
    "finding_codes", "claims", "claim_verdicts", "strategy", "seed",
    "reviewer", "agrees_with_findings", "documentation_supports_claim", "comments",
)


@dataclass(frozen=True)
class SampleRow:
    """One sampled note with what the reviewer needs to pull the chart (ids, no text)."""

    number: int
    note: NoteRisk
    tier: str
    codes: tuple[str, ...]
    claims: tuple[str, ...]
    verdicts: tuple[str, ...]


def tier_of(risk: float, high: float = 5.0, medium: float = 2.0) -> str:
    """Risk tier: ``high`` from one error-level finding, ``medium`` from a warning's weight."""
    return "high" if risk >= high else "medium" if risk >= medium else "low"


def draw_sample(notes: Sequence[NoteRisk], findings: Sequence[Finding], verdicts: Sequence[ClaimVerdict],
                n: int, seed: int, strategy: str = "stratified") -> list[SampleRow]:
    """Draw ``n`` notes reproducibly (same inputs, seed and strategy -> same sample).

    Raises:
        ValueError: unknown strategy or non-positive ``n``.
    """
    if strategy not in STRATEGIES:
        raise ValueError(f"unknown strategy {strategy!r}; expected one of: {', '.join(STRATEGIES)}")
    if n <= 0:
        raise ValueError("sample size must be positive")
    pool = sorted(notes, key=lambda r: (r.patient_id, r.note_id))  # input order never matters
    rng = random.Random(seed)
    if strategy == "risk":
        chosen = sorted(pool, key=lambda r: (-r.risk, r.patient_id, r.note_id))[:n]
    elif strategy == "random":
        chosen = rng.sample(pool, min(n, len(pool)))
    else:
        tiers: dict[str, list[NoteRisk]] = {"high": [], "medium": [], "low": []}
        for r in pool:
            tiers[tier_of(r.risk)].append(r)
        chosen = []
        share, extra = divmod(n, 3)
        leftover: list[NoteRisk] = []
        for i, name in enumerate(("high", "medium", "low")):
            want = share + (1 if i < extra else 0)
            members = tiers[name][:]
            rng.shuffle(members)
            chosen.extend(members[:want])
            leftover.extend(members[want:])
        if len(chosen) < n:  # a thin tier: top up from the others, still seeded
            rng.shuffle(leftover)
            chosen.extend(leftover[: n - len(chosen)])
    codes: dict[str, set[str]] = {}
    for f in findings:
        if f.note_id:
            codes.setdefault(f.note_id, set()).add(f.code)
    claims: dict[str, list[ClaimVerdict]] = {}
    for v in verdicts:
        if v.note_id:
            claims.setdefault(v.note_id, []).append(v)
    rows = []
    for i, r in enumerate(sorted(chosen, key=lambda r: (-r.risk, r.patient_id, r.note_id)), 1):
        vs = sorted(claims.get(r.note_id, []), key=lambda v: v.claim_id)
        rows.append(SampleRow(i, r, tier_of(r.risk), tuple(sorted(codes.get(r.note_id, ()))),
                              tuple(v.claim_id for v in vs), tuple(v.verdict for v in vs)))
    return rows


def write_worksheet(rows: Sequence[SampleRow], out: TextIO, strategy: str, seed: int) -> None:
    """A CSV worksheet: one row per sampled note plus empty reviewer columns to fill in."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(WORKSHEET_COLUMNS)
    for row in rows:
        r = row.note
        writer.writerow([
            row.number, r.patient_id, r.note_id, r.date.isoformat(), f"{r.risk:.2f}", row.tier,
            f"{r.carried_fraction:.2f}", r.source_note_id or "", ";".join(row.codes), ";".join(row.claims),
            ";".join(row.verdicts), strategy, seed, "", "", "", "",
        ])
