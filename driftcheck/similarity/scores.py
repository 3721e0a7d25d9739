"""Scores and the clone judgement: section streaks, measurement deltas, documented change.

The judgement follows DESIGN.md: a note is cloned when its clinical content documents no
change, not when much text was carried. Carried text is the evidence (the note must carry at
least ``clone_min_fraction`` of its non-template clinical text, because real follow-ups carry
~50-60 % legitimately); the verdict is the *absence* of every kind of documented change:

* narrative change: clinical sentences that repeat nothing earlier (exact or edited copy),
  with at least ``min_change_words`` content words per kind. A sentence that scores in the
  "reworded" band (``reword_floor`` .. ``fuzzy_cutoff``) against an earlier sentence counts only
  if it brings ``min_novel_words`` words the patient's chart has never used: swapping
  "reports" for "states" rewords, it does not document anything.
* measured change: a pain/function score that moved by at least the minimal clinically
  important difference. Smaller moves are reported in ``changed`` (the value *was* updated)
  but a one-point nudge inside otherwise copied text does not rescue a note, because that is
  exactly how lightly edited clones are made.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from rapidfuzz import fuzz

from driftcheck.similarity.keys import RawMeasurement
from driftcheck.similarity.result import CHANGE_KINDS, Measurement, SectionSimilarity

if TYPE_CHECKING:
    from driftcheck.similarity.align import Match, SimilarityOptions, _Entry, _Sent
    from driftcheck.text.pipeline import TextDoc

#: Which change kind new text in a section documents.
SECTION_CHANGE_KIND = {
    "chief_complaint": "interval_history",
    "hpi": "interval_history",
    "unsectioned": "interval_history",
    "indication": "interval_history",
    "pain": "interval_history",
    "exam": "exam",
    "results": "exam",
    "assessment": "plan",
    "plan": "plan",
    "assessment_plan": "plan",
    "procedure": "plan",
}
#: Words of a procedure and of function, searched in a sentence's content words (cached per sentence
#: text by :class:`~driftcheck.similarity.align.SentenceFeatures`, read here as ``_Sent.procedure`` / ``.function``).
PROCEDURE_WORDS = re.compile(
    r"\b(injections?|block|blocks|ablation|rfa|esi|tfesi|epidural|procedure|tpi|trigger points?|"
    r"radiofrequency|mbb|medial branch|facet)\b")
_RESPONSE = re.compile(
    r"\b(relief|relieved|improv\w*|respon\w*|benefit\w*|helped|help|no change|worse|better|"
    r"lasted|wore off|\d+\s*%|percent)")
FUNCTION_WORDS = re.compile(
    r"\b(walk\w*|sit|sitting|stand\w*|sleep\w*|work\w*|lift\w*|adls?|activities of daily living|"
    r"driv\w*|chores|function\w*|bend\w*|climb\w*|stairs|dress\w*|bath\w*|carry\w*|housework|"
    r"yard|ambulat\w*|toleran\w*|odi|ndi|oswestry|disability|exercis\w*|garden\w*|golf\w*)\b")
_MEASURE_KIND = {"pain": "pain_score", "odi": "function", "ndi": "function", "peg": "function"}


def _mcid(kind: str, opts: SimilarityOptions) -> float:
    return {"pain": opts.mcid_pain, "odi": opts.mcid_odi, "ndi": opts.mcid_ndi, "peg": opts.mcid_peg}[kind]


def measurements_vs_history(raw: list[RawMeasurement], entries: list[_Entry],
                            opts: SimilarityOptions) -> tuple[Measurement, ...]:
    """Pair each measurement with the same one in the most recent visit that recorded the kind.

    Pairing is by slot first (same sentence key, same position in it: "worst pain" pairs with
    "worst pain"), then by order of appearance of that kind in the note.
    """
    latest: dict[str, _Entry] = {}
    for entry in reversed(entries):
        for m in entry.measurements:
            latest.setdefault(m.kind, entry)
    ordinals: dict[str, int] = defaultdict(int)
    out = []
    for r in raw:
        n = ordinals[r.kind]
        ordinals[r.kind] += 1
        entry = latest.get(r.kind)
        prev = None
        if entry is not None:
            by_slot = {s: m for s, m in zip(entry.slots, entry.measurements, strict=True)}
            prev = by_slot.get(r.slot)
            if prev is None:
                same_kind = [m for m in entry.measurements if m.kind == r.kind]
                prev = same_kind[n] if n < len(same_kind) else None
        if prev is None or entry is None:
            out.append(Measurement(r.kind, r.value, r.start, r.end))
            continue
        unchanged = prev.value == r.value
        out.append(Measurement(
            r.kind, r.value, r.start, r.end, prev.value, entry.note_id, prev.start, prev.end,
            unchanged, prev.streak + 1 if unchanged else 0,
            abs(prev.value - r.value) >= _mcid(r.kind, opts),
        ))
    return tuple(out)


def sections_vs_previous(sents: list[_Sent], matches: list[Match | None], entries: list[_Entry],
                         opts: SimilarityOptions, doc: TextDoc) -> tuple[SectionSimilarity, ...]:
    """Per section kind: share repeated from the previous visit, and the unchanged streak."""
    groups: dict[str, list[int]] = {}
    for i, s in enumerate(sents):
        groups.setdefault(s.section, []).append(i)
    last = entries[-1] if entries else None
    out = []
    for kind, idxs in groups.items():
        chars = sum(sents[i].end - sents[i].start for i in idxs)
        same = 0
        numbers_changed = False
        for i in idxs:
            m = matches[i]
            if m is not None and m.in_last:
                same += sents[i].end - sents[i].start
                numbers_changed |= m.numbers_changed
        score = same / chars if chars else 0.0
        unchanged = last is not None and score >= opts.section_unchanged and not numbers_changed
        streak = (last.section_streak.get(kind, 0) + 1) if unchanged and last is not None else 0
        out.append(SectionSimilarity(
            kind, round(score, 4), last.note_id if last else None, streak, unchanged,
            sents[idxs[0]].start, sents[idxs[-1]].end, sents[idxs[0]].clinical,
        ))
    return tuple(out)


@dataclass(frozen=True, slots=True)
class Verdict:
    """The note-level numbers and the clone judgement (internal hand-off to NoteSimilarity)."""

    fraction_vs_last: float
    fraction_vs_any: float
    clinical_fraction: float
    fresh_words: int
    main_source_note_id: str | None
    main_source_date: date | None
    changed: tuple[str, ...]
    missing_change: tuple[str, ...]
    cloned: bool
    clone_score: float
    reason: str


def reworded_sections(sents: list[_Sent], matches: list[Match | None], previous: list[_Sent],
                      opts: SimilarityOptions) -> set[str]:
    """Clinical sections that repeat the previous visit's same section in other words.

    Sentence alignment misses a section whose sentences were each reworded ("base of the skull"
    -> "occipital", "sessions" -> "visits"): no sentence scores as a copy, yet the section as a
    whole keeps nearly all its words. Two tests, both needed: the whole section's masked keys
    match the previous visit's (rapidfuzz ``token_sort_ratio`` >= ``section_reword``, word order
    ignored), and the words of its unmatched sentences are mostly words that section already
    used (new-word share < ``section_new_words``). A real update — one added sentence about the
    response to an injection — brings mostly new words and stays documented change.
    """
    def by_section(items: list[_Sent]) -> dict[str, list[_Sent]]:
        out: dict[str, list[_Sent]] = defaultdict(list)
        for s in items:
            if s.clinical and not s.boilerplate and not s.heading:
                out[s.section].append(s)
        return out

    unmatched = {id(s) for s, m in zip(sents, matches, strict=True) if m is None}
    now, before = by_section(sents), by_section(previous)
    out = set()
    for section, items in now.items():
        text = " ".join(s.key for s in items)
        if section not in before or len(text.split()) < opts.min_section_words:
            continue
        if fuzz.token_sort_ratio(text, " ".join(s.key for s in before[section])) < opts.section_reword:
            continue
        known = {w for s in before[section] for w in s.words}
        fresh = [w for s in items if id(s) in unmatched for w in s.words]
        if fresh and sum(w not in known for w in fresh) / len(fresh) < opts.section_new_words:
            out.add(section)
    return out


def judge(sents: list[_Sent], matches: list[Match | None], best: list[float],
          measurements: tuple[Measurement, ...], entries: list[_Entry], vocab: set[str],
          opts: SimilarityOptions, copied_numbers: set[int] | frozenset[int] = frozenset()) -> Verdict:
    """Fractions, documented change by kind, and the clone verdict for one note.

    ``copied_numbers`` holds indexes of reworded sentences whose numbers equal their source's:
    a score restated in new words is still the old score.
    """
    total = any_chars = last_chars = 0
    clin_chars = clin_carried = 0
    by_source: dict[int, int] = defaultdict(int)
    fresh_by_kind: dict[str, int] = defaultdict(int)
    expected: set[str] = set()
    fresh_words = 0
    reworded = reworded_sections(sents, matches, entries[-1].sents if entries else [], opts)
    for s, m, score in zip(sents, matches, best, strict=True):
        n = s.end - s.start
        total += n
        if m is not None:
            any_chars += n
            if m.in_last:
                last_chars += n
        if not s.clinical:
            continue
        if s.boilerplate and m is not None:
            continue  # carried template is neither evidence of cloning nor of change
        if not s.boilerplate:
            clin_chars += n
        kind = SECTION_CHANGE_KIND.get(s.section)
        if kind:
            expected.add(kind)
        procedure, function = s.procedure, s.function  # PROCEDURE_WORDS / FUNCTION_WORDS on its words
        if procedure:
            expected.add("procedure_response")
        if function:
            expected.add("function")
        if m is not None:  # (non-template here)
            clin_carried += n
            by_source[m.entry] += n
            continue
        if score >= opts.reword_floor and sum(1 for w in s.words if w not in vocab) < opts.min_novel_words:
            continue  # reworded copy: neither carried evidence nor documented change
        if s.section in reworded:
            continue  # sentence of a section reworded as a whole: synonyms, not change
        if s.heading:
            continue  # a title line ("FOLLOW-UP VISIT - DR X") documents nothing
        words = len(s.words)
        fresh_words += words
        if kind:
            fresh_by_kind[kind] += words
        if procedure and _RESPONSE.search(" ".join(s.words) + " " + " ".join(s.numbers)):
            fresh_by_kind["procedure_response"] += words
        if function:
            fresh_by_kind["function"] += words

    changed: set[str] = {k for k, w in fresh_by_kind.items() if w >= opts.min_change_words}
    strong = set(changed)
    starts = [s.start for s in sents]
    for meas in measurements:
        kind = _MEASURE_KIND[meas.kind]
        expected.add(kind)
        i = bisect_right(starts, meas.start) - 1
        m = matches[i] if i >= 0 else None
        if (m is not None and not m.numbers_changed) or (m is None and i in copied_numbers):
            # The value sits in a sentence copied with its numbers from an earlier visit: it
            # repeats that visit's measurement, whatever the visit in between recorded.
            continue
        if meas.unchanged is False:
            changed.add(kind)
            if meas.meaningful:
                strong.add(kind)

    clinical_fraction = clin_carried / clin_chars if clin_chars else 0.0
    main_idx = max(by_source, key=lambda e: (by_source[e], e)) if by_source else None
    main = entries[main_idx] if main_idx is not None else None
    order = {k: i for i, k in enumerate(CHANGE_KINDS)}
    changed_t = tuple(sorted(changed, key=order.__getitem__))
    missing = tuple(sorted(expected - changed, key=order.__getitem__)) if entries else ()

    judged = bool(entries) and clin_chars >= opts.min_clinical_chars
    cloned = judged and clinical_fraction >= opts.clone_min_fraction and not strong
    novelty = min(1.0, fresh_words / opts.novelty_words) if opts.novelty_words else 0.0
    clone_score = clinical_fraction * (1.0 - novelty) if judged else 0.0
    if any(m.meaningful for m in measurements):
        clone_score *= 0.5
    reason = _reason(judged, cloned, clinical_fraction, main, strong, missing, opts)
    return Verdict(
        fraction_vs_last=round(last_chars / total, 4) if total else 0.0,
        fraction_vs_any=round(any_chars / total, 4) if total else 0.0,
        clinical_fraction=round(clinical_fraction, 4),
        fresh_words=fresh_words,
        main_source_note_id=main.note_id if main else None,
        main_source_date=main.date if main else None,
        changed=changed_t,
        missing_change=missing,
        cloned=cloned,
        clone_score=round(clone_score, 4),
        reason=reason,
    )


def _reason(judged: bool, cloned: bool, fraction: float, main: Any, strong: set[str],
            missing: tuple[str, ...], opts: SimilarityOptions) -> str:
    """One sentence of ids and numbers (never note text) explaining the verdict."""
    if not judged:
        return "no earlier note or too little clinical text to judge"
    pct = f"{fraction:.0%} of non-template clinical text carried"
    src = f" (mostly from {main.note_id})" if main is not None else ""
    if cloned:
        gaps = ", ".join(missing) if missing else "any clinical content"
        return f"{pct}{src}; no documented change in {gaps}"
    if fraction < opts.clone_min_fraction:
        return f"{pct}{src}, below {opts.clone_min_fraction:.0%}"
    order = {k: i for i, k in enumerate(CHANGE_KINDS)}
    return f"{pct}{src}; change documented in {', '.join(sorted(strong, key=order.__getitem__))}"
