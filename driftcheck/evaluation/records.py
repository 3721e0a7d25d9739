"""Records and counting helpers shared by the gold loaders and the scorers.

Kept apart from ``driftcheck.model`` because they describe *gold* (what an annotator said) and
*predictions as the scorer sees them*, not pipeline records; the scorers must stay usable with
hand-built values and without the pipeline.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from driftcheck.model import frozen_attrs

#: The labels of DESIGN.md "Gold files"; any other label needs an explicit ``extra_labels``.
LABELS: tuple[str, ...] = (
    "FUNCTION",
    "CONSERVATIVE_CARE",
    "NECESSITY",
    "PAIN_SCORE",
    "PROCEDURE_RESPONSE",
    "TIME_SPENT",
)


@dataclass(frozen=True, slots=True)
class GoldSpan:
    """One annotated span: ``text[start:end]`` carries ``label``; ``attrs`` as annotated."""

    start: int
    end: int
    label: str
    attrs: Mapping[str, Any] = field(default_factory=lambda: frozen_attrs(None))


@dataclass(frozen=True, slots=True)
class PredSpan:
    """One predicted span, in the same shape as a gold span so both can be compared field by field."""

    start: int
    end: int
    label: str
    attrs: Mapping[str, Any] = field(default_factory=lambda: frozen_attrs(None))


@dataclass(frozen=True, slots=True)
class GoldDoc:
    """One gold record: the note (or passage) text, its spans and its negated mentions."""

    text: str
    note_id: str
    spans: tuple[GoldSpan, ...] = ()
    negated: tuple[GoldSpan, ...] = ()
    meta: Mapping[str, Any] = field(default_factory=lambda: frozen_attrs(None))


@dataclass(frozen=True, slots=True)
class CloneLabel:
    """A reviewer's cloning verdict for one note.

    ``copied_spans`` is ``None`` when the labeller did not mark spans (then the note takes no part
    in character-level scoring) and ``()`` when they marked that nothing was copied.
    ``kind`` is a free label of how the note was made (e.g. a synthetic generator's scenario),
    used only for the by-kind table.
    """

    cloned: bool
    copied_spans: tuple[tuple[int, int, str | None], ...] | None = None
    kind: str | None = None


@dataclass(frozen=True, slots=True)
class Problem:
    """A seeded billing problem: the finding ``code`` driftcheck should raise on this claim line."""

    claim_id: str
    line: int | None
    code: str
    note_id: str | None = None
    patient_id: str | None = None
    billed_code: str | None = None


def prf(tp: int, fp: int, fn: int) -> dict[str, Any]:
    """Precision, recall and F1 with the counts they came from.

    Convention: a ratio whose denominator is zero is 0.0 (so an empty prediction has precision
    0, not 1, and a label absent from both gold and prediction scores 0 with all counts 0). The
    counts are always reported, so a reader can tell "no data" from "all wrong".
    """
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": p, "r": r, "f1": f1, "tp": tp, "fp": fp, "fn": fn}


def rate(part: int, total: int) -> float | None:
    """``part / total``, or ``None`` when there is nothing to measure (shown as "-" in tables)."""
    return part / total if total else None
