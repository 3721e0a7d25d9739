"""What the similarity stage hands downstream: frozen, text-free results for one note.

Every field is ids, offsets, numbers or kind names, never note text, so a result can be logged,
cached or put in a finding's explanation without leaking PHI.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date

from driftcheck.model import CarriedSpan

#: Kinds of documented change the judgement looks for (DESIGN.md "What makes a note cloned").
CHANGE_KINDS = ("interval_history", "pain_score", "function", "procedure_response", "exam", "plan")


@dataclass(frozen=True, slots=True)
class SectionSimilarity:
    """One section kind of the note compared with the same kind in the previous visit.

    Attributes:
        kind: section kind (``hpi``, ``exam``, ``plan`` ...).
        score: share of the section's characters that repeat the previous visit (0..1).
        source_note_id: the previous visit, or None for a first visit.
        streak: how many consecutive earlier visits this section has stayed unchanged through
            (1 = same as the previous visit, 2 = same as the previous two, ...).
        unchanged: the section repeats the previous visit (score at or above the option's
            ``section_unchanged``) with no changed numbers.
        start: first character of the section's sentences in this note.
        end: end of the section's last sentence.
        clinical: whether the section kind is clinical content.
    """

    kind: str
    score: float
    source_note_id: str | None
    streak: int
    unchanged: bool = False
    start: int = 0
    end: int = 0
    clinical: bool = True


@dataclass(frozen=True, slots=True)
class Measurement:
    """A pain or function score in this note, paired with the same score in an earlier visit.

    Attributes:
        kind: ``pain`` (0-10 NRS/VAS), ``odi``, ``ndi`` (percent) or ``peg``.
        value: the value written today.
        start, end: offsets of the measurement in the original note.
        previous_value: the paired value in the most recent earlier visit that had one.
        previous_note_id: that visit.
        previous_start, previous_end: offsets in that visit's text.
        unchanged: True/False when paired, None when there is nothing to compare with.
        streak: consecutive earlier visits with the same value (0 = changed or unpaired).
        meaningful: the change reaches the minimal clinically important difference
            (options ``mcid_*``); a one-point nudge in otherwise copied text does not.
    """

    kind: str
    value: float
    start: int
    end: int
    previous_value: float | None = None
    previous_note_id: str | None = None
    previous_start: int | None = None
    previous_end: int | None = None
    unchanged: bool | None = None
    streak: int = 0
    meaningful: bool = False


@dataclass(frozen=True, slots=True)
class DuplicateBlock:
    """A run of sentences that repeats an earlier run of the same note (offsets in the note)."""

    start: int
    end: int
    first_start: int
    first_end: int
    sentences: int


@dataclass(frozen=True, slots=True)
class NoteSimilarity:
    """Carried-forward analysis of one note against every earlier note of its patient.

    Fractions are shares of sentence characters (headers and whitespace excluded).

    Attributes:
        note_id: the note analysed.
        carried: every sentence that repeats an earlier note (exact or edited), in order.
        fraction_vs_last: share of the note found in the previous visit (Rule 2021 measure).
        fraction_vs_any: share found in any earlier visit (Steinkamp 2022 measure).
        clinical_fraction: carried share of non-boilerplate clinical-section characters.
        novel_words: word tokens never used in any earlier note of the patient.
        fresh_words: content words in clinical sentences that repeat nothing earlier.
        main_source_note_id: the visit most of the carried clinical text came from.
        main_source_date: its date of service.
        sections: per section kind, similarity to the previous visit and unchanged streaks.
        measurements: pain/function scores with the previous value and whether unchanged.
        changed: kinds of change this note documents (see :data:`CHANGE_KINDS`).
        missing_change: kinds the note has content for but documents no change in.
        cloned: the verdict (carried clinical content and no documented change).
        clone_score: graded 0..1 version of the verdict, for ranking.
        reason: one sentence of ids and numbers explaining the verdict.
        carried_numbers_changed: carried sentences whose numbers were updated today.
        duplicates: sentence runs repeated inside this note.
        cross_patient: sentences identical to another patient's note (filled by a
            :class:`~driftcheck.similarity.crosspatient.CrossPatientIndex` when one is given).
        prior_notes: how many earlier notes were compared.
    """

    note_id: str
    carried: tuple[CarriedSpan, ...] = ()
    fraction_vs_last: float = 0.0
    fraction_vs_any: float = 0.0
    clinical_fraction: float = 0.0
    novel_words: int = 0
    fresh_words: int = 0
    main_source_note_id: str | None = None
    main_source_date: date | None = None
    sections: tuple[SectionSimilarity, ...] = ()
    measurements: tuple[Measurement, ...] = ()
    changed: tuple[str, ...] = ()
    missing_change: tuple[str, ...] = ()
    cloned: bool = False
    clone_score: float = 0.0
    reason: str = ""
    carried_numbers_changed: tuple[CarriedSpan, ...] = ()
    duplicates: tuple[DuplicateBlock, ...] = ()
    cross_patient: tuple[CarriedSpan, ...] = ()
    prior_notes: int = 0
    _stale: tuple[CarriedSpan, ...] = field(default=(), compare=False, repr=False)
    _updated: tuple[CarriedSpan, ...] = field(default=(), compare=False, repr=False)

    @property
    def stale_spans(self) -> tuple[CarriedSpan, ...]:
        """Carried, non-boilerplate sentences whose numbers did not change (stale evidence)."""
        return self._stale

    def is_fresh(self, start: int, end: int) -> tuple[bool, str | None]:
        """Whether text at [start, end) was written today, and if not, the visit it came from.

        A statement is stale when at least half of its characters lie in carried,
        non-boilerplate text whose numbers did not change. Text inside a carried sentence whose
        numbers were updated today is fresh (the value is today's), and so is template text.

        Returns:
            ``(True, None)`` for fresh text; ``(False, source_note_id)`` for stale text.
        """
        if end <= start:
            end = start + 1
        if _overlap(self._updated, start, end)[0] > 0:
            return True, None
        covered, source = _overlap(self._stale, start, end)
        if covered * 2 >= end - start:
            return False, source
        return True, None

    def section(self, kind: str) -> SectionSimilarity | None:
        """The comparison of one section kind, or None if the note has no such section."""
        for s in self.sections:
            if s.kind == kind:
                return s
        return None


def _overlap(spans: tuple[CarriedSpan, ...], start: int, end: int) -> tuple[int, str | None]:
    """Characters of [start, end) covered by ``spans`` (sorted, disjoint) and the main source."""
    if not spans:
        return 0, None
    starts = [s.start for s in spans]
    i = max(0, bisect_right(starts, start) - 1)
    covered, best, source = 0, 0, None
    while i < len(spans) and spans[i].start < end:
        span = spans[i]
        n = min(end, span.end) - max(start, span.start)
        if n > 0:
            covered += n
            if n > best:
                best, source = n, span.source_note_id
        i += 1
    return covered, source


def merge_spans(spans: tuple[CarriedSpan, ...] | list[CarriedSpan], text: str | None = None,
                max_gap: int = 3) -> list[CarriedSpan]:
    """Merge adjacent carried spans from the same source into longer evidence spans.

    Args:
        spans: carried spans in note order.
        text: the note text; when given, spans merge across whitespace/punctuation-only gaps
            of any length, otherwise only across gaps of at most ``max_gap`` characters.
        max_gap: gap allowed without looking at the text.
    """
    out: list[CarriedSpan] = []
    for span in sorted(spans, key=lambda s: s.start):
        if out:
            last = out[-1]
            gap = span.start - last.end
            joinable = gap <= max_gap or (text is not None and not any(c.isalnum() for c in text[last.end:span.start]))
            if last.source_note_id == span.source_note_id and last.boilerplate == span.boilerplate and joinable:
                out[-1] = CarriedSpan(
                    last.start, max(last.end, span.end), last.source_note_id,
                    min(last.source_start, span.source_start), max(last.source_end, span.source_end),
                    min(last.score, span.score), last.kind if last.kind == span.kind else "fuzzy",
                    last.boilerplate,
                )
                continue
        out.append(span)
    return out
