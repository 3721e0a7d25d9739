"""Sentence alignment of a note against its patient's earlier notes: the PatientIndex.

Each earlier sentence is indexed once by its key (numbers masked), so an exact repeat is a dict
lookup; sentences that do not repeat exactly are scored against the patient's distinct earlier
keys in one rapidfuzz ``cdist`` call (``fuzz.ratio`` for word edits, ``token_sort_ratio`` for
words reordered inside a sentence). Sentence order is ignored (set matching), so reordered
sentences still align. Per-note cost is O(sentences of the note) dict lookups plus one
vectorised fuzzy pass, which keeps a pre-sign check of one note against a long history in
milliseconds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from typing import NamedTuple

import numpy as np
from rapidfuzz import fuzz, process

from driftcheck.model import CarriedSpan, Note
from driftcheck.similarity.boilerplate import BoilerplateModel
from driftcheck.similarity.crosspatient import CrossPatientIndex
from driftcheck.similarity.keys import (
    RawMeasurement,
    content_words,
    find_measurements,
    has_measurement,
    sentence_key,
    sentence_numbers,
)
from driftcheck.similarity.result import DuplicateBlock, Measurement, NoteSimilarity
from driftcheck.similarity.scores import (
    FUNCTION_WORDS,
    PROCEDURE_WORDS,
    judge,
    measurements_vs_history,
    sections_vs_previous,
)
from driftcheck.text.pipeline import TextDoc

_WORD_RE = re.compile(r"[a-z][a-z'\-]+")
#: Opposing word classes: an edited copy that swaps a word of one class for a word of an
#: opposite class of the same group ("SLR positive" -> "negative", "improved" -> "worse") flips
#: the sentence's clinical meaning and documents change, however similar the rest of the wording
#: is. Swaps inside one class ("improved" -> "better") are synonyms and stay copies.
_POLARITY_GROUPS: dict[str, tuple[tuple[str, ...], ...]] = {
    "test": (("positive", "pos"), ("negative", "neg")),
    "course": (("improved", "improving", "improvement", "better", "resolved", "resolving"),
               ("worse", "worsened", "worsening", "new", "recurrent", "recurred")),
    "amount": (("increased", "increasing", "increase", "more", "higher"),
               ("decreased", "decreasing", "decrease", "less", "lower", "reduced")),
    "side": (("left",), ("right",), ("bilateral", "bilaterally")),
    "finding": (("intact", "normal", "present", "full"), ("diminished", "absent", "abnormal", "weak")),
    "severity": (("mild",), ("moderate",), ("severe",)),
}
POLARITY_CLASS: dict[str, tuple[str, int]] = {
    w: (group, i) for group, classes in _POLARITY_GROUPS.items() for i, words in enumerate(classes) for w in words
}
NEGATION_WORDS = frozenset(["no", "not", "cannot", "unable", "denies", "without", "none", "never"])


@dataclass(frozen=True)
class SimilarityOptions:
    """Thresholds of the similarity stage (project choices: payers publish none).

    Chosen on the synthetic clone-injection fixtures in ``tests/similarity`` and checked on the
    real external notes (no single real note is judged cloned); see the module docs of
    ``driftcheck.similarity.scores`` for the reasoning behind each.

    Attributes:
        fuzzy_cutoff: a non-identical sentence is an edited copy at this rapidfuzz score
            (max of ``ratio`` and ``token_sort_ratio`` on numbers-masked keys, 0..100).
        reword_floor: sentences scoring between this and ``fuzzy_cutoff`` are rewordings:
            not counted as carried, but not counted as documented change either unless they
            bring new words.
        min_fuzzy_chars: shorter keys are never carried as edited copies (short lines
            coincide by chance); they only match exactly.
        min_reword_chars: keys from this length are still scored against history so that a
            short reworded line is not mistaken for documented change.
        section_unchanged: a section whose share repeated from the previous visit reaches this
            (and whose numbers did not change) is unchanged for streaks.
        clone_min_fraction: the carried share of clinical text needed before a note can be
            judged cloned (Rule 2021: real follow-ups carry ~50-60 %).
        min_change_words: fresh content words a change kind needs to count as documented.
        min_novel_words: new-to-this-patient words that make a reworded sentence count as change.
        section_reword: a clinical section whose whole text (numbers masked, word order ignored)
            scores at least this against the same section of the previous visit is a reworded
            copy: its unmatched sentences are synonyms swapped, not documented change. Real
            follow-ups' interval histories scored <= 67 on the demo corpus; edited clones 83-93.
        min_section_words: shorter sections are not judged as reworded (too little text).
        section_new_words: ... and only when less than this share of the words of its unmatched
            sentences is new to that section (p03-v03 of the demo: 0.43-0.50; real follow-ups'
            updated sections: 0.57-1.0).
        novelty_words: fresh clinical words at which the graded clone score reaches zero.
        min_clinical_chars: notes with less non-template clinical text are not judged.
        mcid_pain, mcid_odi, mcid_ndi, mcid_peg: smallest score change that counts as a
            documented change of pain/function (NRS 2 points; ODI ~10 points; NDI 7.5; PEG 1).
    """

    fuzzy_cutoff: float = 85.0
    reword_floor: float = 70.0
    min_fuzzy_chars: int = 25
    min_reword_chars: int = 12
    section_unchanged: float = 0.9
    clone_min_fraction: float = 0.6
    min_change_words: int = 4
    min_novel_words: int = 3
    section_reword: float = 80.0
    min_section_words: int = 12
    section_new_words: float = 0.55
    novelty_words: int = 40
    min_clinical_chars: int = 80
    mcid_pain: float = 2.0
    mcid_odi: float = 10.0
    mcid_ndi: float = 7.5
    mcid_peg: float = 1.0


@dataclass(slots=True)
class _Sent:
    """One sentence as the index sees it (no text kept beyond the key)."""

    start: int
    end: int
    section: str
    clinical: bool
    key: str
    numbers: tuple[str, ...]
    boilerplate: bool
    words: tuple[str, ...]
    heading: bool = False
    procedure: bool = False  # its words name a procedure (scores.judge)
    function: bool = False  # ... or a function (scores.judge)


@dataclass(slots=True)
class _Entry:
    """An indexed earlier note: its sentences, measurements and section streaks."""

    note_id: str
    date: date
    sents: list[_Sent]
    measurements: tuple[Measurement, ...]
    slots: tuple[tuple[str, str, int], ...] = ()
    section_streak: dict[str, int] = field(default_factory=dict)


@dataclass(slots=True)
class Match:
    """Where one sentence of the current note came from (internal, used by scores.py)."""

    entry: int
    sent: int
    score: float
    kind: str  # "exact" | "fuzzy"
    numbers_changed: bool
    in_last: bool


class PatientIndex:
    """One patient's earlier notes, indexed for carried-forward comparison.

    Per patient, in date order: ``sim = index.compare(note, doc)`` then ``index.add(note, doc)``.

    Args:
        boilerplate: template model; template sentences still align but are flagged
            ``boilerplate`` and do not count towards cloning.
        options: thresholds (:class:`SimilarityOptions`).
        cross_patient: optional cross-patient index; when given, ``compare`` fills
            ``NoteSimilarity.cross_patient`` and ``add`` indexes the note there too.
        features: a per-sentence cache to share between indexes (a new one when omitted).
    """

    def __init__(self, boilerplate: BoilerplateModel | None = None, options: SimilarityOptions | None = None,
                 *, cross_patient: CrossPatientIndex | None = None, features: SentenceFeatures | None = None) -> None:
        self.boilerplate = boilerplate
        self.features = features if features is not None else SentenceFeatures()
        self.options = options or SimilarityOptions()
        self.cross_patient = cross_patient
        self._entries: list[_Entry] = []
        self._exact: dict[str, tuple[int, int]] = {}  # key -> latest (entry, sentence)
        self._fuzzy_keys: list[str] = []  # distinct earlier keys long enough for fuzzy matching
        self._fuzzy_sorted: list[str] = []  # ... each with its words sorted (see _cdist_max)
        self._fuzzy_ascii = True  # every fuzzy key is ASCII
        self._fuzzy_pos: dict[str, int] = {}
        self._vocab: set[str] = set()
        self._last_words: tuple[str, list[str]] | None = None
        self._cache: tuple[str, str, NoteSimilarity, list[_Sent], tuple[tuple[str, str, int], ...]] | None = None

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def note_ids(self) -> list[str]:
        """Ids of the indexed notes in the order they were added."""
        return [e.note_id for e in self._entries]

    # -- building ---------------------------------------------------------------------------

    def _sentences(self, doc: TextDoc) -> list[_Sent]:
        out = []
        model = self.boilerplate
        features = self.features
        for s in doc.sentences:
            f = features(doc.text[s.start : s.end])
            # A sentence holding a pain/function score is today's measurement even when its wording
            # is the clinic's template ("Pain: #/10"), so it is never treated as boilerplate.
            boiler = model is not None and len(f.key) >= 8 and not f.measured and features.boilerplate(model, f.key)
            out.append(_Sent(s.start, s.end, s.section, s.clinical, f.key, f.numbers, boiler, f.words, f.heading,
                             f.procedure, f.function))
        return out

    def add(self, note: Note, doc: TextDoc) -> None:
        """Add a note to the patient's history (after comparing it, or to seed the history)."""
        cached = self._cache
        if cached is not None and cached[0] == note.note_id and cached[1] == doc.text:
            sim, sents, slots = cached[2], cached[3], cached[4]
        else:
            sents = self._sentences(doc)
            sim, slots = self._compare(note, doc, sents)
        idx = len(self._entries)
        streaks = {s.kind: s.streak for s in sim.sections}
        self._entries.append(_Entry(note.note_id, note.date, sents, sim.measurements, slots, streaks))
        for j, s in enumerate(sents):
            self._exact[s.key] = (idx, j)
            if len(s.key) >= self.options.min_reword_chars and s.key not in self._fuzzy_pos:
                self._fuzzy_pos[s.key] = len(self._fuzzy_keys)
                self._fuzzy_keys.append(s.key)
                self._fuzzy_sorted.append(_sorted_words(s.key))
                self._fuzzy_ascii = self._fuzzy_ascii and s.key.isascii()
        self._vocab.update(self._words(doc.text))
        if self.cross_patient is not None:
            self.cross_patient.add(note, doc)
        self._cache = None

    def _words(self, text: str) -> list[str]:
        """The words of a note's text. The last note's are kept: ``compare`` then ``add`` read
        the same note's words (novel words, then the vocabulary)."""
        last = self._last_words
        if last is not None and last[0] is text:
            return last[1]
        words = _WORD_RE.findall(text.lower())
        self._last_words = (text, words)
        return words

    # -- comparing --------------------------------------------------------------------------

    def compare(self, note: Note, doc: TextDoc) -> NoteSimilarity:
        """Compare ``note`` with every note added so far (nothing is added)."""
        sents = self._sentences(doc)
        sim, slots = self._compare(note, doc, sents)
        if self.cross_patient is not None:
            sim = replace(sim, cross_patient=tuple(self.cross_patient.matches(note, doc)))
        self._cache = (note.note_id, doc.text, sim, sents, slots)
        return sim

    def _compare(self, note: Note, doc: TextDoc,
                 sents: list[_Sent]) -> tuple[NoteSimilarity, tuple[tuple[str, str, int], ...]]:
        opts = self.options
        matches, best_scores, reworded = self._align(sents)
        entries = self._entries
        carried: list[CarriedSpan] = []
        updated: list[CarriedSpan] = []
        stale: list[CarriedSpan] = []
        for s, m in zip(sents, matches, strict=True):
            if m is None:
                continue
            src = entries[m.entry].sents[m.sent]
            span = CarriedSpan(s.start, s.end, entries[m.entry].note_id, src.start, src.end,
                               m.score, m.kind, s.boilerplate)
            carried.append(span)
            if m.numbers_changed:
                updated.append(span)
            elif not s.boilerplate:
                stale.append(span)

        raw_meas = []
        for s in sents:
            found = self.features(doc.text[s.start : s.end]).measurements
            if found:
                base = s.start
                raw_meas.extend(RawMeasurement(r.kind, r.value, base + r.start, base + r.end, r.slot) for r in found)
        measurements = measurements_vs_history(raw_meas, entries, opts)
        sections = sections_vs_previous(sents, matches, entries, opts, doc)
        duplicates = _internal_duplicates(sents, opts)
        novel = sum(1 for w in self._words(doc.text) if w not in self._vocab) if entries else 0
        verdict = judge(sents, matches, best_scores, measurements, entries, self._vocab, opts,
                        copied_numbers={i for i, same in reworded.items() if same})
        sim = NoteSimilarity(
            note_id=note.note_id,
            carried=tuple(carried),
            fraction_vs_last=verdict.fraction_vs_last,
            fraction_vs_any=verdict.fraction_vs_any,
            clinical_fraction=verdict.clinical_fraction,
            novel_words=novel,
            fresh_words=verdict.fresh_words,
            main_source_note_id=verdict.main_source_note_id,
            main_source_date=verdict.main_source_date,
            sections=sections,
            measurements=measurements,
            changed=verdict.changed,
            missing_change=verdict.missing_change,
            cloned=verdict.cloned,
            clone_score=verdict.clone_score,
            reason=verdict.reason,
            carried_numbers_changed=tuple(updated),
            duplicates=duplicates,
            prior_notes=len(entries),
            _stale=tuple(stale),
            _updated=tuple(updated),
        )
        return sim, tuple(r.slot for r in raw_meas)

    def _align(self, sents: list[_Sent]) -> tuple[list[Match | None], list[float], dict[int, bool]]:
        """Best earlier source of each sentence: exact key first, then one fuzzy pass.

        Returns the matches, each sentence's best fuzzy score, and for every reworded sentence
        (fuzzy match) whether its numbers equal its source's (copied numbers are not change).
        """
        opts = self.options
        entries = self._entries
        matches: list[Match | None] = [None] * len(sents)
        best: list[float] = [0.0] * len(sents)
        reworded: dict[int, bool] = {}
        if not entries:
            return matches, best, reworded
        last = len(entries) - 1
        last_keys = {s.key: j for j, s in enumerate(entries[last].sents)}
        pending: list[int] = []
        for i, s in enumerate(sents):
            hit = self._exact.get(s.key)
            if hit is not None:
                in_last = s.key in last_keys
                e, j = (last, last_keys[s.key]) if in_last else hit
                changed = entries[e].sents[j].numbers != s.numbers
                matches[i] = Match(e, j, 100.0, "exact", changed, in_last)
                best[i] = 100.0
            elif len(s.key) >= opts.min_reword_chars:
                pending.append(i)
        if not pending or not self._fuzzy_keys:
            return matches, best, reworded
        queries = [sents[i].key for i in pending]
        # words sorted once per key, not once per pair, where that is provably the same score
        presorted = self._fuzzy_ascii and all(q.isascii() for q in queries)
        sorted_queries = [_sorted_words(q) for q in queries] if presorted else None
        scores = _cdist_max(queries, self._fuzzy_keys, opts.reword_floor, sorted_queries,
                            self._fuzzy_sorted if presorted else None)
        copies: list[tuple[int, int, float, int]] = []  # (row, sentence, score, column) of edited copies
        # best column of every row in one call (argmax: the first of equal scores, as per row)
        cols = scores.argmax(axis=1).tolist()
        tops = scores.max(axis=1).tolist()
        for row, i in enumerate(pending):
            col = cols[row]
            score = float(tops[row])
            best[i] = score
            s = sents[i]
            if _polarity_differs(s.key, self._fuzzy_keys[col]):
                best[i] = 0.0  # same wording, opposite meaning: new content, not a copy
                continue
            if score < opts.fuzzy_cutoff or len(s.key) < opts.min_fuzzy_chars:
                if score >= opts.reword_floor:
                    e, j = self._exact[self._fuzzy_keys[col]]
                    reworded[i] = entries[e].sents[j].numbers == s.numbers
                continue
            copies.append((row, i, score, col))
        if not copies:
            return matches, best, reworded
        # Edited copies vs the last note only, for fraction_vs_last and section streaks (each
        # row of a cdist is scored on its own, so scoring only these rows changes no score).
        last_long = [s.key for s in entries[last].sents if len(s.key) >= opts.min_reword_chars]
        last_scores = _cdist_max([queries[row] for row, *_ in copies], last_long, opts.fuzzy_cutoff,
                                 [sorted_queries[row] for row, *_ in copies] if sorted_queries is not None else None,
                                 [self._fuzzy_sorted[self._fuzzy_pos[k]] for k in last_long]
                                 if sorted_queries is not None else None) if last_long else None
        if last_scores is not None:
            lcols, ltops = last_scores.argmax(axis=1).tolist(), last_scores.max(axis=1).tolist()
        for k, (_row, i, score, col) in enumerate(copies):
            s = sents[i]
            in_last = False
            if last_scores is not None:
                lcol = lcols[k]
                lscore = float(ltops[k])
                if lscore >= opts.fuzzy_cutoff and lscore >= score - 5:
                    in_last = True
                    key = last_long[lcol]
                    e, j, score = last, last_keys[key], lscore
            if not in_last:
                e, j = self._exact[self._fuzzy_keys[col]]
            changed = entries[e].sents[j].numbers != s.numbers
            matches[i] = Match(e, j, round(score, 1), "fuzzy", changed, in_last)
        return matches, best, reworded


class Features(NamedTuple):
    """One sentence text's features (see :class:`SentenceFeatures`)."""

    key: str
    numbers: tuple[str, ...]
    words: tuple[str, ...]
    heading: bool
    measured: bool  # holds a pain/function measurement
    measurements: tuple[RawMeasurement, ...]  # at offset 0 of the sentence
    procedure: bool  # its words name a procedure
    function: bool  # ... or a function


class SentenceFeatures:
    """What the index needs of one sentence's text, cached by the text: key, numbers, content
    words, heading?, holds a measurement?, its measurements at offset 0, and whether its words
    name a procedure / a function (:func:`~driftcheck.similarity.scores.judge`); and, per key,
    whether the template model holds it.

    A patient's history (and a clinic's template) repeats most sentences verbatim, so a repeat
    costs one lookup. One instance is shared by the indexes an :class:`~driftcheck.analyze.Analyzer`
    builds (one per patient), so the cache lives as long as the Analyzer's other caches.
    """

    def __init__(self, size: int = 200_000) -> None:
        self.size = size
        self._cache: dict[str, Features] = {}
        self._model: BoilerplateModel | None = None
        self._boiler: dict[str, bool] = {}

    def boilerplate(self, model: BoilerplateModel, key: str) -> bool:
        """``model.is_boilerplate(key)``, remembered (a hash per call otherwise)."""
        if model is not self._model:
            self._model, self._boiler = model, {}
        found = self._boiler.get(key)
        if found is None:
            if len(self._boiler) >= self.size:
                self._boiler.clear()
            found = self._boiler[key] = model.is_boilerplate(key)
        return found

    def __call__(self, text: str) -> Features:
        found = self._cache.get(text)
        if found is None:
            key = sentence_key(text)
            words = content_words(text)
            joined = " ".join(words)
            found = Features(key, sentence_numbers(text), words, _is_heading(text), has_measurement(text),
                             tuple(find_measurements(text, 0, key)), bool(PROCEDURE_WORDS.search(joined)),
                             bool(FUNCTION_WORDS.search(joined)))
            if len(self._cache) >= self.size:
                self._cache.clear()  # bounded; a rare full reset is cheaper than LRU bookkeeping
            self._cache[text] = found
        return found


_UPPER = re.compile(r"[A-Z]")
_LETTER = re.compile(r"[^\W\d_]")


@lru_cache(maxsize=200_000)
def _is_heading(text: str) -> bool:
    """A title-like line: most letters upper case (note titles, provider banners)."""
    letters = len(_LETTER.findall(text))
    if letters < 4:
        return False
    upper = sum(c.isupper() for c in text if c.isalpha()) if not text.isascii() else len(_UPPER.findall(text))
    return upper > 0.7 * letters


def _polarity_differs(a: str, b: str) -> bool:
    """Whether two keys differ by a meaning-flipping swap or an added/dropped negation."""
    wa, wb = set(a.split()), set(b.split())
    if bool(wa & NEGATION_WORDS) != bool(wb & NEGATION_WORDS):
        return True
    classes_a = {POLARITY_CLASS[w] for w in wa - wb if w in POLARITY_CLASS}
    if not classes_a:
        return False
    classes_b = {POLARITY_CLASS[w] for w in wb - wa if w in POLARITY_CLASS}
    return any(ga == gb and ca != cb for ga, ca in classes_a for gb, cb in classes_b)


def _cdist_max(queries: list[str], choices: list[str], cutoff: float, sorted_queries: list[str] | None = None,
               sorted_choices: list[str] | None = None) -> np.ndarray:
    """Element-wise max of ratio and token_sort_ratio (0 below ``cutoff``), queries x choices.

    ``sorted_queries``/``sorted_choices`` (:func:`_sorted_words` of each, given for ASCII keys
    only): ``token_sort_ratio`` is ``ratio`` of the word-sorted strings (rapidfuzz's definition),
    so scoring those with ``ratio`` gives the same scores without re-sorting every choice's words
    for every query.
    """
    a = process.cdist(queries, choices, scorer=fuzz.ratio, score_cutoff=cutoff, dtype=np.uint8)
    if sorted_queries is not None and sorted_choices is not None:
        b = process.cdist(sorted_queries, sorted_choices, scorer=fuzz.ratio, score_cutoff=cutoff, dtype=np.uint8)
    else:
        b = process.cdist(queries, choices, scorer=fuzz.token_sort_ratio, score_cutoff=cutoff, dtype=np.uint8)
    return np.maximum(a, b)


def _sorted_words(key: str) -> str:
    """``key``'s words in sorted order, one space apart (what token_sort_ratio compares)."""
    return " ".join(sorted(key.split()))


def _internal_duplicates(sents: list[_Sent], opts: SimilarityOptions) -> tuple[DuplicateBlock, ...]:
    """Runs of clinical, non-template sentences that repeat an earlier run of the same note."""
    first: dict[str, int] = {}
    dup_of: list[int | None] = []
    for i, s in enumerate(sents):
        if s.clinical and not s.boilerplate and len(s.key) >= 20 and s.key in first:
            dup_of.append(first[s.key])
        else:
            dup_of.append(None)
            first.setdefault(s.key, i)
    blocks: list[DuplicateBlock] = []
    i = 0
    while i < len(sents):
        j0 = dup_of[i]
        if j0 is None:
            i += 1
            continue
        k = i
        while k + 1 < len(sents) and dup_of[k + 1] is not None and dup_of[k + 1] == dup_of[k] + 1:  # type: ignore[operator]
            k += 1
        jk = dup_of[k]
        assert jk is not None
        blocks.append(DuplicateBlock(sents[i].start, sents[k].end, sents[j0].start, sents[jk].end, k - i + 1))
        i = k + 1
    return tuple(blocks)
