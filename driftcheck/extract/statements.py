"""TextDoc -> Statements: run the components per line block, cache by line, mark freshness.

Carried-forward notes repeat whole lines from earlier visits, so extraction works on the text
stage's *blocks* (lines inside one section) and caches what it found per ``(line text, section
kind, note kind)`` with offsets relative to the line. A line seen before for this patient (or
any patient) costs one dictionary lookup; only new lines reach spaCy, and a line the text stage
tokenised in this call is not tokenised again (``TextDoc.docs``). A new line is usually an old
paragraph with one sentence edited, so a new line is extracted sentence by sentence where that is
provably the same (:mod:`driftcheck.extract.split`), and sentences are cached too, keyed by
``(sentence text, section kind, note kind)`` with the tokens they were extracted from: only new
sentences reach the matchers. Freshness is applied after the caches, because the same line can
be fresh in one note and carried in the next.
"""

from __future__ import annotations

import dataclasses
import re
import threading
from array import array
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from spacy.attrs import IDX, LENGTH, ORTH
from spacy.language import Language
from spacy.tokens import Doc, Span

from driftcheck.extract import validators
from driftcheck.extract.components import (
    ALL_LABELS,
    Rec,
    Store,
    TargetMatcher,
    group_name,
    sentence_bounds,
    span_rec,
)
from driftcheck.extract.context import SECTION_KEY, ConText
from driftcheck.extract.split import SentenceSplit, Split, sentence_doc
from driftcheck.model import Statement, frozen_attrs
from driftcheck.text.pipeline import SENTENCING, Block, TextDoc, sentence_nlp, sentenced
from driftcheck.text.sections import default_headers

if TYPE_CHECKING:
    from driftcheck.extract.classifier import SentenceClassifier

#: Whether an Extractor adds the sentence classifier's sentences unless told otherwise. Off: on
#: the held-out train2 notes the classifier did not raise F1 for any label, and no model is
#: shipped (figures in :mod:`driftcheck.evaluation.train_classifier`).
CLASSIFIER_DEFAULT = False
#: Callable the similarity stage provides: ``(start, end) -> (fresh, source_note_id)``.
Freshness = Callable[[int, int], tuple[bool, "str | None"]]
EXTRACT_VERSION = "extract-1"
NOTE_KIND_KEY = "dc_note_kind"
_SENTENCE_LABELS = ("FUNCTION", "CONSERVATIVE_CARE", "NECESSITY", "PROCEDURE_RESPONSE", "TIME_SPENT")
_CLAUSE_LABELS = ("PAIN_SCORE",)
_MENTION_LABELS = ("MUSCLE", "SPINAL_LEVEL", "GUIDANCE", "INTENT", "PAIN_DURATION")
_LEAD_RE = re.compile(r"^(?:\(?\d{1,2}[.)]\s+|\(?[a-zA-Z][.)]\s+|[-*•·>]+\s*|#\s*\d+[.:)]?\s*)")
_CLAUSE_BREAK = {",", ";", "but", "however", "whereas", "and", "while"}
#: An inline heading before a statement ("Medical Reasoning: ", "GAIT: "): up to four words and
#: a colon, dropped from FUNCTION / PROCEDURE_RESPONSE spans when at least four words follow.
_INLINE_HEAD_RE = re.compile(r"[A-Z][A-Za-z/&'-]*(?: [A-Za-z/&'-]+){0,3}:\s+(?=(?:\S+\s+){3}\S)")
_HEAD_LABELS = frozenset({"FUNCTION", "PROCEDURE_RESPONSE", "NECESSITY", "CONSERVATIVE_CARE"})
#: NECESSITY/CONSERVATIVE_CARE also drop a longer upper-case heading ("BRIEF HISTORY AND INDICATION
#: FOR PROCEDURE: ", "CLINICAL:Pain ...").
_LONG_HEAD_RE = re.compile(r"[A-Z][A-Z/&'-]*(?: [A-Z/&'-]+){0,6}:\s*(?=(?:\S+\s+){3}\S)")
_LONG_HEAD_LABELS = frozenset({"NECESSITY", "CONSERVATIVE_CARE"})
_PROCEDURE_SECTIONS = {"procedure", "diagnosis_header"}
#: Sections where a label is not documented for its own sake: drugs in a procedure section are
#: injectants, not care tried; exam and results sentences are findings, not reasons.
EXCLUDED_SECTIONS: dict[str, frozenset[str]] = {
    "CONSERVATIVE_CARE": frozenset({"procedure", "diagnosis_header", "exam", "vitals", "results", "instructions",
                                    "allergies", "ros", "attestation"}),
    "NECESSITY": frozenset({"procedure", "diagnosis_header", "exam", "vitals", "results", "allergies", "ros",
                            "medications", "social_history", "family_history", "attestation"}),
    "FUNCTION": frozenset({"procedure", "diagnosis_header", "medications", "family_history", "instructions",
                           "allergies", "vitals", "attestation"}),
    "PROCEDURE_RESPONSE": frozenset({"allergies", "ros", "medications", "family_history", "attestation"}),
}
#: Sections of findings, where an activity named next to pain is a provocation test, not a limit.
_FINDING_SECTIONS = frozenset({"exam", "results", "vitals"})
_PLAN_SECTIONS = frozenset({"plan", "instructions"})
#: Sections of a procedure note whose sentences present the condition the procedure is for.
_HISTORY_SECTIONS = frozenset({"hpi", "indication", "unsectioned", "chief_complaint", "pain"})


@dataclass(frozen=True, slots=True)
class _Found:
    """A statement found in one block, offsets relative to the block (the cached unit)."""

    label: str
    start: int
    end: int
    attrs: tuple[tuple[str, Any], ...]
    pattern_id: str
    negated: bool
    historical: bool
    hypothetical: bool
    other_person: bool

    def shifted(self, offset: int) -> _Found:
        """The same statement ``offset`` characters further (a sentence's result in its block)."""
        return _Found(self.label, self.start + offset, self.end + offset, self.attrs, self.pattern_id,
                      self.negated, self.historical, self.hypothetical, self.other_person)


def build_nlp() -> Language:
    """The extraction pipeline on the text stage's vocab: sentences, 11 label components, ConText."""
    from spacy.lang.en import English

    from driftcheck.extract import context as _context  # noqa: F401  (registers the factory)

    base = sentence_nlp()
    # Share the text stage's vocab *and* tokenizer: building a second English tokenizer costs
    # ~0.1 s of regex compilation on every cold start of `driftcheck check`.
    nlp = English(vocab=base.vocab, create_tokenizer=lambda _nlp: base.tokenizer)
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("driftcheck_abbreviations")
    nlp.add_pipe("driftcheck_line_breaks")
    for label in ALL_LABELS:
        nlp.add_pipe(f"driftcheck_{label.lower()}")
    nlp.add_pipe("driftcheck_context")
    return nlp


class Extractor:
    """Extract Statements from text-stage documents, caching results per line block and per sentence.

    Args:
        cache_size: distinct ``(line, section, note kind)`` results kept (LRU), and as many
            sentences.
        nlp: a pipeline from :func:`build_nlp` (built lazily on first use when omitted).
        classifier: add the sentences the shipped sentence classifier finds (issue 4 item 6):
            ``True`` uses ``models/sentence_classifier/`` (loaded once per process, skipped when
            not installed), ``False`` the rules alone, or pass a loaded
            :class:`~driftcheck.extract.classifier.SentenceClassifier`. Default:
            :data:`CLASSIFIER_DEFAULT`.
        split_sentences: extract a new block sentence by sentence, reusing sentences seen
            before, wherever that gives the same statements (:mod:`driftcheck.extract.split`);
            ``False`` always extracts whole blocks (the reference the tests compare against).
    """

    def __init__(self, cache_size: int = 200_000, nlp: Language | None = None,
                 classifier: bool | SentenceClassifier | None = None, *, split_sentences: bool = True) -> None:
        self.cache_size = cache_size
        self.split_sentences = split_sentences
        self._nlp = nlp
        self._classifier = CLASSIFIER_DEFAULT if classifier is None else classifier
        self._sent_cache: OrderedDict[tuple[str, str], dict[str, float]] = OrderedDict()
        self._cache: OrderedDict[tuple[str, str, str], tuple[_Found, ...]] = OrderedDict()
        # (sentence text, section, note kind) -> (the tokens it was extracted from, statements)
        self._sentences: OrderedDict[tuple[str, str, str], tuple[bytes, tuple[_Found, ...]]] = OrderedDict()
        self._split: SentenceSplit | None = None
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0
        #: per-sentence counters, for new blocks only: sentences reused / run through the pipeline,
        #: and new blocks that had to be extracted whole (one sentence, or not separable)
        self.sentence_hits = 0
        self.sentence_misses = 0
        self.whole_blocks = 0

    @property
    def nlp(self) -> Language:
        """The extraction pipeline (built once, on first use: nothing heavy at import)."""
        if self._nlp is None:
            self._nlp = build_nlp()
        return self._nlp

    def clear(self) -> None:
        """Forget cached lines and reset the counters."""
        with self._lock:
            self._cache.clear()
            self._sent_cache.clear()
            self._sentences.clear()
            self.hits = self.misses = 0
            self.sentence_hits = self.sentence_misses = self.whole_blocks = 0

    @property
    def classifier(self) -> SentenceClassifier | None:
        """The sentence classifier in use (``None``: rules alone)."""
        if self._classifier is True:
            from driftcheck.extract.classifier import default_model

            return default_model()
        return self._classifier or None

    def extract(self, doc: TextDoc, freshness: Freshness | None = None) -> tuple[Statement, ...]:
        """All statements of one note, each marked fresh or carried (with its source note).

        Args:
            doc: the text-stage result of the note.
            freshness: ``(start, end) -> (fresh, source_note_id)`` from the similarity stage;
                without it every statement is fresh.
        """
        note_kind = _note_kind(doc)
        blocks = inline_sections(doc.text, doc.blocks or _fallback_blocks(doc))
        found: dict[int, tuple[_Found, ...]] = {}
        todo: list[tuple[Block, tuple[str, str, str]]] = []
        with self._lock:
            for block in blocks:
                key = (doc.text[block.start : block.end], block.section, note_kind)
                cached = self._cache.get(key)
                if cached is None:
                    todo.append((block, key))
                else:
                    self.hits += 1
                    self._cache.move_to_end(key)
                    found[block.start] = cached
        if todo:
            for (block, _key), result in zip(todo, self._run(doc, todo, note_kind), strict=True):
                found[block.start] = result
            with self._lock:
                self.misses += len(todo)
                for block, key in todo:
                    self._cache[key] = found[block.start]
                while len(self._cache) > self.cache_size:
                    self._cache.popitem(last=False)
        statements: list[Statement] = []
        for block in blocks:
            for f in found.get(block.start, ()):
                start, end = block.start + f.start, block.start + f.end
                fresh, source = freshness(start, end) if freshness is not None else (True, None)
                statements.append(Statement(
                    label=f.label, start=start, end=end, attrs=frozen_attrs(dict(f.attrs)),
                    pattern_id=f.pattern_id, section=block.section, negated=f.negated,
                    historical=f.historical, hypothetical=f.hypothetical, other_person=f.other_person,
                    fresh=bool(fresh), source_note_id=None if fresh else source))
        model = self.classifier
        if model is not None:
            statements.extend(self._classified(doc, blocks, statements, model, freshness))
        statements = _vas_named_by_section(doc, statements)
        statements.sort(key=lambda s: (s.start, s.end, s.label))
        return tuple(statements)

    def _classified(self, doc: TextDoc, blocks: tuple[Block, ...], rules: list[Statement],
                    model: SentenceClassifier, freshness: Freshness | None) -> list[Statement]:
        """Sentences the classifier scores at or above a label's threshold that no rule statement
        of the label overlaps (asserted or not: a sentence the rules found negated stays out),
        outside the sections the label excludes. The span is the sentence."""
        enabled = model.enabled
        if not enabled:
            return []
        spans: dict[str, list[tuple[int, int]]] = {}
        for st in rules:
            spans.setdefault(st.label, []).append((st.start, st.end))
        section_at = {b.start: b.section for b in blocks}
        out: list[Statement] = []
        for sent in doc.sentences:
            section = _section_of(sent.start, blocks, section_at, sent.section)
            labels = [lab for lab in enabled if section not in EXCLUDED_SECTIONS.get(lab, ())
                      and not any(a < sent.end and b > sent.start for a, b in spans.get(lab, ()))]
            if not labels:
                continue
            start, end = _trim(doc.text, sent.start, sent.end)
            if end <= start:
                continue
            key = (doc.text[start:end], section)
            with self._lock:
                probs = self._sent_cache.get(key)
                if probs is not None:
                    self._sent_cache.move_to_end(key)
            if probs is None:
                probs = model.proba(key[0], section, enabled)
                with self._lock:
                    self._sent_cache[key] = probs
                    while len(self._sent_cache) > self.cache_size:
                        self._sent_cache.popitem(last=False)
            for lab in labels:
                threshold = model.threshold(lab)
                if threshold is None or probs[lab] < threshold:
                    continue
                fresh, source = freshness(start, end) if freshness is not None else (True, None)
                out.append(Statement(
                    label=lab, start=start, end=end, attrs=frozen_attrs(_classifier_attrs(lab, key[0])),
                    pattern_id=f"clf.{lab.lower()}", section=section, fresh=bool(fresh),
                    source_note_id=None if fresh else source))
        return out

    def _run(self, doc: TextDoc, todo: list[tuple[Block, tuple[str, str, str]]],
             note_kind: str) -> Iterable[tuple[_Found, ...]]:
        """Run the pipeline on uncached blocks, reusing Docs the text stage already built.

        With the standard pipeline (label components, then ConText) the components work on
        plain records (:meth:`TargetMatcher.find`, :meth:`ConText.apply`) and no span group or
        extension attribute is written; any other pipeline runs component by component and the
        statements are read back from its span groups.

        With the standard pipeline a new block is also split into its sentences when that
        gives the same statements (:mod:`driftcheck.extract.split`): a sentence seen before
        with the same tokens, section and note kind is a dictionary hit, and only new sentences
        are matched.
        """
        nlp = self.nlp
        components = [proc for name, proc in nlp.pipeline if name not in SENTENCING]
        fast = (bool(components) and isinstance(components[-1], ConText)
                and all(isinstance(proc, TargetMatcher) for proc in components[:-1]))
        for block, key in todo:
            spacy_doc = doc.docs.get(block.start)
            if spacy_doc is None or spacy_doc.vocab is not nlp.vocab or not spacy_doc.has_annotation("SENT_START"):
                spacy_doc = sentenced(nlp, key[0])
            if fast:
                yield self._by_sentence(spacy_doc, key, components)
                continue
            spacy_doc.user_data[SECTION_KEY] = block.section
            spacy_doc.user_data[NOTE_KIND_KEY] = note_kind
            for proc in components:
                spacy_doc = proc(spacy_doc)
            yield tuple(_statements(spacy_doc, _doc_text(spacy_doc, key[0]), _groups_of(spacy_doc), block.section,
                                    note_kind))

    def _by_sentence(self, spacy_doc: Doc, key: tuple[str, str, str], components: list[Any]) -> tuple[_Found, ...]:
        """Statements of one new block: per sentence (cached) when separable, else whole."""
        text, section, note_kind = key
        if self._split is None:
            sentencizer = self.nlp.get_pipe("sentencizer") if "sentencizer" in self.nlp.pipe_names else None
            self._split = SentenceSplit([proc.matcher for proc in components],
                                        getattr(sentencizer, "punct_chars", None))
        parts = self._split.sentences(spacy_doc, text) if self.split_sentences else None
        if parts is None:
            single = len(sentence_bounds(spacy_doc)) == 1
            tokens = array("Q", spacy_doc.to_array(ORTH).tolist()).tobytes() if single else b""
            if single:
                with self._lock:
                    cached = self._sentences.get(key)
                    if cached is not None and cached[0] == tokens:
                        self._sentences.move_to_end(key)
                        self.sentence_hits += 1
                        return cached[1]
            found = _find(spacy_doc, text, section, note_kind, components)
            with self._lock:
                self.whole_blocks += 1
                if single:
                    self.sentence_misses += 1
                    self._remember(key, tokens, found)
            return found
        orths = parts.orths
        keys = [(text[start:end], section, note_kind) for _a, _b, start, end in parts.sentences]
        tokens = [array("Q", orths[a:b]).tobytes() for a, b, _start, _end in parts.sentences]
        with self._lock:
            cached = [self._sentences.get(k) for k in keys]
            cached = [c if c is not None and c[0] == t else None for c, t in zip(cached, tokens, strict=True)]
        new_tokens = sum(b - a for (a, b, _s, _e), c in zip(parts.sentences, cached, strict=True) if c is None)
        if new_tokens * 2 > len(orths):
            # mostly new: one run over the block is cheaper than a Doc per new sentence, and
            # (the block being separable) its statements are its sentences' statements, shifted
            hits = sum(c is not None for c in cached)
            return self._whole_and_remember(spacy_doc, key, parts, keys, tokens, components, hits)
        out: list[_Found] = []
        for (a, b, start, _end), skey, stokens, hit in zip(parts.sentences, keys, tokens, cached, strict=True):
            if hit is not None:
                found = hit[1]
                with self._lock:
                    if skey in self._sentences:  # (another thread may have evicted it since)
                        self._sentences.move_to_end(skey)
                    self.sentence_hits += 1
            else:
                found = _find(sentence_doc(spacy_doc, text, parts, a, b, self._split.preds), skey[0], section,
                              note_kind, components)
                with self._lock:
                    self.sentence_misses += 1
                    self._remember(skey, stokens, found)
            out.extend(f.shifted(start) for f in found)
        return tuple(out)

    def _whole_and_remember(self, spacy_doc: Doc, key: tuple[str, str, str], parts: Split,
                            keys: list[tuple[str, str, str]], tokens: list[bytes],
                            components: list[Any], hits: int) -> tuple[_Found, ...]:
        """Extract a separable block whole, and cache each of its sentences' statements."""
        text, section, note_kind = key
        assert self._split is not None
        self._split.preds._line(spacy_doc, parts.sets)  # type: ignore[union-attr]  # known already
        found = _find(spacy_doc, text, section, note_kind, components)
        starts = [start for _a, _b, start, _end in parts.sentences]
        per: list[list[_Found]] = [[] for _ in starts]
        for f in found:
            k = bisect_right(starts, f.start) - 1
            if k < 0 or f.end > parts.sentences[k][3]:
                per = []  # not inside one sentence: cannot happen for a separable block; cache nothing
                break
            per[k].append(f.shifted(-starts[k]))
        with self._lock:
            self.whole_blocks += 1
            self.sentence_hits += hits
            self.sentence_misses += len(keys) - hits
            for skey, stokens, sfound in zip(keys, tokens, per, strict=False):
                self._remember(skey, stokens, tuple(sfound))
        return found

    def _remember(self, key: tuple[str, str, str], tokens: bytes, found: tuple[_Found, ...]) -> None:
        """Cache one sentence's statements (caller holds the lock)."""
        self._sentences[key] = (tokens, found)
        while len(self._sentences) > self.cache_size:
            self._sentences.popitem(last=False)


def _find(spacy_doc: Doc, text: str, section: str, note_kind: str, components: list[Any]) -> tuple[_Found, ...]:
    """The standard pipeline's statements of one Doc (a block or a sentence), offsets relative to it."""
    spacy_doc.user_data[SECTION_KEY] = section
    spacy_doc.user_data[NOTE_KIND_KEY] = note_kind
    store: Store = {}
    groups: dict[str, dict[str, list[Rec]]] = {}
    present = components[0].matcher.preds.present(spacy_doc)
    for proc in components[:-1]:
        if proc.index.never(present):
            continue  # what find() would find out from its prefilter: no entry can match
        found = proc.find(spacy_doc, store)
        if found is not None:
            groups[proc.label] = found
    components[-1].apply(spacy_doc, [t for label in ALL_LABELS for t in groups.get(label, {}).get("target", ())]
                         + _condition_cues(groups))
    return tuple(_statements(spacy_doc, _doc_text(spacy_doc, text), groups, section, note_kind))


def _condition_cues(groups: dict[str, dict[str, list[Rec]]]) -> list[Rec]:
    """NECESSITY condition cues: in a history section each one makes its sentence a statement
    (``nec.procedure_history``), so ConText decides whether it is asserted ("She has not had any
    numbness" is a denial, not a reason)."""
    return [c for c in groups.get("NECESSITY", {}).get("cue", ()) if c.dc_attrs and c.dc_attrs.get("condition")]


def _groups_of(doc: Doc) -> dict[str, dict[str, list[Rec]]]:
    """The target and cue records of ``doc``'s span groups, by label and role."""
    out: dict[str, dict[str, list[Rec]]] = {}
    for label in ALL_LABELS:
        for role in ("target", "cue"):
            spans = doc.spans.get(group_name(label, role))
            if spans:
                out.setdefault(label, {})[role] = [span_rec(span) for span in spans]
    return out


def _doc_text(doc: Doc, text: str) -> str:
    """``doc.text`` without joining its tokens when ``text`` (the block it was made of) fits."""
    if not len(doc):
        return doc.text
    last = doc[-1]
    if len(text) == last.idx + len(last.text_with_ws) and text.startswith(doc[0].text, doc[0].idx):
        return text
    return doc.text


_INLINE_HEADER = re.compile(r"\s*(?:\d+[.)]\s*)?([A-Z][A-Z0-9 /&'(),\-]{2,80}?)\s*:")
#: Inline headers the text stage's table does not know, common in dictated operative notes
#: ("INDICATIONS FOR SURGERY:", "BRIEF HISTORY AND INDICATION FOR PROCEDURE:"): kind by keyword.
_INLINE_KINDS = (
    (re.compile(r"INDICATION|REASON FOR (?:PROCEDURE|SURGERY|OPERATION|EXAM|STUDY|IMAGING|TEST)|"
                r"^CLINICAL(?: HISTORY| INFORMATION| DATA| NOTE| SUMMARY)?$"), "indication"),
    (re.compile(r"HISTORY|BACKGROUND|PRESENTATION"), "hpi"),
    (re.compile(r"DIAGNOS[EI]S"), "diagnosis_header"),
    (re.compile(r"ANESTHESIA|COMPLICATION|BLOOD LOSS|SPECIMEN|DRAIN|DESCRIPTION|DETAILS|FINDINGS|TECHNIQUE|"
                r"PROCEDURE|OPERATION|FLUIDS|TOURNIQUET|IMPLANT|POSITION|PREP"), "procedure"),
    (re.compile(r"PROGNOSIS|DISPOSITION"), "assessment"),
)


def _note_kind(doc: TextDoc) -> str:
    """"procedure" for a procedure/operative note layout (diagnosis headers, or the procedure
    section before any history), a visit note that reports a procedure done at this visit, or a
    pre-operative history ending in the decision to operate; else "visit" (a visit note with a
    procedure section but no same-visit wording stays "visit")."""
    kinds = [s.kind for s in doc.sections]
    if "diagnosis_header" in kinds:
        return "procedure"
    if _SAME_VISIT.search(doc.text) or _PRE_OP.search(doc.text):
        # a visit with a same-visit procedure ("trigger point injections, which were performed
        # today"), or a pre-operative H&P ("has opted for total joint surgery"): its complaint
        # sentences present the condition like a pre-procedure history (CONVENTIONS train3/train4)
        return "procedure"
    if "procedure" not in kinds:
        return "visit"
    first_proc = kinds.index("procedure")
    history = [i for i, k in enumerate(kinds) if k in ("hpi", "chief_complaint")]
    return "procedure" if not history or first_proc < history[0] else "visit"


_SAME_VISIT = re.compile(
    r"\b(?:injections?|block|procedure|aspiration|arthrocentesis)\b[^.\n]{0,80}\b(?:was|were)\s+(?:performed|given|administered|done)\s+"
    r"(?:today|this visit|at this visit|in (?:the )?(?:office|clinic) today)\b", re.IGNORECASE)
_PRE_OP = re.compile(
    r"\b(?:opted|elected|decided|wishes|wants)\s+(?:for|to\s+(?:proceed|undergo|have))\b[^.\n]{0,60}\b(?:surgery|arthroplasty|replacement|"
    r"fusion|decompression|laminectomy|discectomy|repair|reconstruction|procedure)\b", re.IGNORECASE)


def inline_sections(text: str, blocks: Iterable[Block]) -> tuple[Block, ...]:
    """Blocks with the section kind of an upper-case inline header the text stage missed.

    The kind holds for the header's own line only: in dictated operative notes the next
    paragraph without a header is usually the description of the procedure again.
    """
    out: list[Block] = []
    carry = False  # the previous block was an inline INDICATION section
    for block in blocks:
        m = _INLINE_HEADER.match(text, block.start, block.end) or _cut_header(text, block.start)
        kind = next((k for rx, k in _INLINE_KINDS if rx.search(m.group(1))), None) if m else None
        if (kind is None and m is None and carry and block.section == "procedure"
                and not _OPERATIVE_STEP.search(text, block.start, block.end)):
            # ... except a headerless paragraph that goes on presenting the indication (no
            # operative step in it): "Previous laminectomy made it unstable. He is suffering ..."
            kind = "indication"
        if kind is not None and kind != block.section:
            block = Block(block.start, block.end, kind, block.clinical)
        carry = kind == "indication" and block.section == "indication"
        out.append(block)
    return tuple(out)


def _cut_header(text: str, start: int) -> re.Match[str] | None:
    """The unlisted inline header the text stage cut off right before the block at ``start``
    (sub-headers are not part of any sentence), or None."""
    line = text.rfind("\n", 0, start) + 1
    if line == start or text.rfind(":", line, start) == -1:
        return None  # the block starts its line: nothing was cut
    m = _INLINE_HEADER.match(text, line, start)
    if m is None or text[m.end() : start].strip(" \t,:;") or default_headers().kind_of(m.group(1)) is not None:
        return None
    return m


#: Words of an operative description: a paragraph with one is not the indication continued.
_OPERATIVE_STEP = re.compile(
    r"operating room|prepped|draped|incis|dissect|retract|sutur|needle|fluoroscop|inject|irrigat|cauter|"
    r"tourniquet|anesthe|sterile|supine|prone|placed|was brought|was taken|procedure|consent|risks", re.IGNORECASE)


def _vas_named_by_section(doc: TextDoc, statements: list[Statement]) -> list[Statement]:
    """PAIN_SCORE statements read as ``nrs`` become ``vas`` when their section calls the scores VAS.

    ANNOTATION.md: "x/10 is nrs unless the note calls it VAS". The reader sees one sentence
    (its results are cached per sentence), so a block titled "Pain assessment (VAS)" with
    "Current: 2/10" under it is settled here, per note, after the caches: the section that holds
    the score (its title included; text before the first header counts as one section) must name
    the scale, because one VAS block does not make every other score in a long note a VAS score.
    """
    scores = [i for i, st in enumerate(statements)
              if st.label == "PAIN_SCORE" and st.attrs.get("scale") == "nrs"]
    if not scores or validators.VAS_RE.search(doc.text) is None:
        return statements
    out = list(statements)
    for i in scores:
        st = out[i]
        section = next((s for s in doc.sections if s.title_start <= st.start < s.end), None)
        if section is None or validators.VAS_RE.search(doc.text, section.title_start, section.end) is None:
            continue
        attrs = dict(st.attrs)
        attrs["scale"] = "vas"
        out[i] = dataclasses.replace(st, attrs=frozen_attrs(attrs))
    return out


def _section_of(start: int, blocks: tuple[Block, ...], section_at: dict[int, str], default: str) -> str:
    """The section kind of the block holding offset ``start`` (inline headers included)."""
    if start in section_at:
        return section_at[start]
    for b in blocks:
        if b.start <= start < b.end:
            return b.section
    return default


#: Counts too vague to give a duration ("for a few weeks", "several months").
_VAGUE_COUNTS = frozenset({"a few", "few", "several"})


def _care_duration(text: str) -> float | None:
    """Weeks of conservative care stated in ``text`` (the classifier's statements and the rules'
    share it): none for a vague count, for "a"/"an" ("a week"), for hours, or out of range."""
    m = validators.search_duration(text)
    if m is None or m.group("n").lower() in _VAGUE_COUNTS | {"a", "an"} or m.group("unit").lower()[0] == "h":
        return None
    weeks = validators.find_duration_weeks(m.group(0))
    return None if validators.invalidate_weeks(weeks) else weeks


def _classifier_attrs(label: str, text: str) -> dict[str, Any]:
    """Best-effort attributes of a classifier statement (no rule matched, so little is known)."""
    if label == "FUNCTION":
        return {"direction": "none"}
    if label == "CONSERVATIVE_CARE":
        return {"modality": "other", "duration_weeks": _care_duration(text), "outcome": "unknown"}
    return {}


def _fallback_blocks(doc: TextDoc) -> tuple[Block, ...]:
    """Blocks for a TextDoc built without them: one per sentence."""
    return tuple(Block(s.start, s.end, s.section, s.clinical) for s in doc.sentences)


def _flags(rec: Rec) -> tuple[bool, bool, bool, bool]:
    return bool(rec.is_negated), bool(rec.is_historical), bool(rec.is_hypothetical), bool(rec.is_family)


def _asserted(rec: Rec) -> bool:
    return not (rec.is_negated or rec.is_hypothetical or rec.is_family)


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    """Drop leading list markers and trailing punctuation (CONVENTIONS.md span boundaries)."""
    while a < b and text[a].isspace():
        a += 1
    m = _LEAD_RE.match(text[a:b])
    if m and m.end() < b - a:
        a += m.end()
    while b > a and (text[b - 1].isspace() or text[b - 1] in ".;,:"):
        b -= 1
    return a, b


def _clause(sent: Span, token_i: int, breaks: set[str]) -> tuple[int, int]:
    """Token bounds of the clause of ``sent`` containing ``token_i`` (split at ``breaks``)."""
    start, end = sent.start, sent.end
    for t in sent:
        if t.lower_ in breaks:
            if t.i < token_i:
                start = t.i + 1
            elif t.i > token_i:
                end = t.i
                break
    return start, end


def _in_sent(recs: Iterable[Rec], a: int, b: int) -> list[Rec]:
    return [r for r in recs if a <= r.start < b]


def _by_sentence(recs: Iterable[Rec], sent_index: list[int]) -> dict[int, list[Rec]]:
    """``recs`` by the sentence of their first token (each list in the order of ``recs``)."""
    out: dict[int, list[Rec]] = {}
    for r in recs:
        k = sent_index[r.start]
        if k in out:
            out[k].append(r)
        else:
            out[k] = [r]
    return out


def _statements(doc: Doc, text: str, groups: dict[str, dict[str, list[Rec]]], section: str,
                note_kind: str) -> list[_Found]:
    """Turn the records of one block Doc (by label and role) into block-relative statements."""
    out: list[_Found] = []
    if not groups:
        return out
    bounds = sentence_bounds(doc)
    sent_index = doc.user_data["dc_sent_index"]
    starts, ends = _char_offsets(doc)
    # each sentence: token bounds and its text (Span.text: from its first token to the end of its last)
    sents = [(a, b, text[starts[a]:ends[b - 1]]) for a, b in bounds]

    def add(label: str, a_tok: int, b_tok: int, attrs: dict[str, Any], pid: str,
            flags: tuple[bool, bool, bool, bool], whole: bool = True) -> None:
        if a_tok < b_tok:
            a, b = starts[a_tok], ends[b_tok - 1]
        else:
            a, b = doc[a_tok:b_tok].start_char, doc[a_tok:b_tok].end_char
        if whole:
            a, b = _trim(text, a, b)
            if label in _HEAD_LABELS and (m := _INLINE_HEAD_RE.match(text, a, b)
                                          or (label in _LONG_HEAD_LABELS and _LONG_HEAD_RE.match(text, a, b))):
                a = m.end()
        if b > a:
            out.append(_Found(label, a, b, tuple(sorted(attrs.items())), pid, *flags))

    # the sentences presenting the condition: a procedure note's history, or any INDICATION
    # section (a radiology "REASON FOR EXAM:" / "CLINICAL:" line included)
    history = (note_kind == "procedure" and section in _HISTORY_SECTIONS) or section == "indication"
    for label in _SENTENCE_LABELS:
        group = groups.get(label)
        if group is None:
            continue
        targets = list(group.get("target", ()))
        all_cues = group.get("cue", ())
        if not targets and not (label == "NECESSITY" and history and all_cues):
            continue  # nothing of this label on the line
        if section in EXCLUDED_SECTIONS.get(label, ()):
            # a history of failed conservative care is kept wherever the note puts it
            # ... and so is a service joined to its reason in a narrative course ("exam" is often
            # a mis-detected HOSPITAL COURSE)
            # ... and so is a disability or performance score (a vitals line: "performance status is 1")
            targets = [t for t in targets if t.dc_pattern_id.startswith(("cc.conservative", "nec.failed",
                                                                           "nec.not_responsive", "nec.despite",
                                                                           "fn.score."))
                       or (label == "NECESSITY" and section == "exam" and "+nec.why." in t.dc_pattern_id)]
        if label == "FUNCTION" and section in _FINDING_SECTIONS:
            # exam findings count only when they state an ability ("unable to stand")
            targets = [t for t in targets if not t.dc_pattern_id.startswith(("fn.act", "fn.aggravating.pain_with"))]
        elif label == "FUNCTION" and section in _PLAN_SECTIONS:
            # activities in a plan are advice or instructions ("use crutches while ambulating"); a
            # stated ability or inability is a prognosis and counts ("it will be 3 months before he
            # can resume running", CONVENTIONS dev); advice and goals are left to ConText
            targets = [t for t in targets if not t.dc_pattern_id.startswith("fn.act")]
        elif label == "FUNCTION" and section == "ros":
            # a sleep complaint in a review-of-systems list is a symptom, not tied to the complaint
            targets = [t for t in targets if not t.dc_pattern_id.startswith("fn.sleep")]
        t_by_sent = _by_sentence(targets, sent_index)
        c_by_sent = _by_sentence(all_cues, sent_index)
        for k in sorted(t_by_sent.keys() | c_by_sent.keys()):  # a sentence with neither adds nothing
            s_start, s_end, s_text = sents[k]
            here = t_by_sent.get(k, [])
            cues = c_by_sent.get(k, [])
            if any(c.dc_attrs.get("exclude") for c in cues):
                continue
            if not here and label == "NECESSITY" and history:
                cond = [c for c in cues if c.dc_attrs.get("condition")]
                if cond:
                    # asserted when one condition mention is; else kept with the first one's flags
                    # (a denied or hypothetical condition is a negated mention, not a reason)
                    sure = [c for c in cond if _asserted(c)]
                    flags = (False, False, False, False) if sure else _flags(cond[0])
                    add(label, s_start, s_end, {}, "nec.procedure_history", flags)
                continue
            if not here:
                continue
            asserted = [t for t in here if _asserted(t)]
            chosen = asserted or here
            first = chosen[0]
            a_tok, b_tok = s_start, s_end
            if asserted and len(asserted) < len(here) and any(t.is_negated for t in here):
                # a denial and a statement of the same label in one sentence: split at the clause
                a_tok, b_tok = _clause(doc[s_start:s_end], first.start, {";", "but", "however", "whereas"})
            attrs = _attrs(label, chosen, cues, s_text)
            flags = _flags(first) if not asserted else (False, any(t.is_historical for t in asserted), False, False)
            pid = "+".join(dict.fromkeys(t.dc_pattern_id for t in chosen))
            add(label, a_tok, b_tok, attrs, pid, flags)

    for label in _CLAUSE_LABELS:
        group = groups.get(label)
        targets = group.get("target") if group is not None else None
        if not targets:
            continue
        c_by_sent = _by_sentence(group.get("cue", ()), sent_index)
        for k, in_sent in sorted(_by_sentence(targets, sent_index).items()):
            s_start, s_end, _s_text = sents[k]
            here = _merge_adjacent(in_sent)
            if here and any(c.dc_attrs.get("exclude") for c in c_by_sent.get(k, ())):
                continue
            for t in here:
                a_tok, b_tok = (s_start, s_end) if len(here) == 1 else _clause(doc[s_start:s_end], t.start,
                                                                               _CLAUSE_BREAK)
                attrs = {"value": t.dc_attrs.get("value"), "scale": t.dc_attrs.get("scale", "nrs")}
                add(label, a_tok, b_tok, attrs, t.dc_pattern_id, _flags(t))

    for label in _MENTION_LABELS:
        group = groups.get(label)
        if group is None:
            continue
        for t in group.get("target", ()):
            attrs = dict(t.dc_attrs)
            if label == "SPINAL_LEVEL":
                s_start, s_end = bounds[sent_index[t.start]]  # Span.sent: the sentence of its first token
                for cue in _in_sent(group.get("cue", ()), s_start, s_end):
                    for key, value in cue.dc_attrs.items():
                        attrs.setdefault(key, value)
                attrs.setdefault("laterality", None)
                attrs.setdefault("approach", None)
            add(label, t.start, t.end, attrs, t.dc_pattern_id, _flags(t), whole=False)
    return out


def _char_offsets(doc: Doc) -> tuple[list[int], list[int]]:
    """``start_char`` and ``end_char`` of every token, read from the Doc's arrays in one call."""
    if not len(doc):
        return [], []
    arr = doc.to_array([IDX, LENGTH])
    return arr[:, 0].tolist(), (arr[:, 0] + arr[:, 1]).tolist()


def _merge_adjacent(targets: list[Rec], gap: int = 2) -> list[Rec]:
    """One score per stretch: "rates his pain as a 6 to 8 out of 10" matched twice is one
    statement; the upper value of the range wins."""
    out: list[Rec] = []
    for t in sorted(targets, key=lambda s: (s.start, s.end)):
        if out and t.start - out[-1].end <= gap:
            prev = out[-1]
            keep = t if (t.dc_attrs.get("value") or 0) >= (prev.dc_attrs.get("value") or 0) else prev
            out[-1] = keep
        else:
            out.append(t)
    return out


def _attrs(label: str, targets: list[Rec], cues: list[Rec], sent_text: str) -> dict[str, Any]:
    """Statement attributes from its targets, the label's cues and the sentence text."""
    if label == "FUNCTION":
        direction = "none"
        order = [c.dc_attrs.get("direction") for c in cues]
        for wanted in ("improved", "worsened", "unchanged"):
            if wanted in order:
                direction = wanted
                break
        attrs: dict[str, Any] = {"direction": direction}
        for t in targets:
            if "score_name" in t.dc_attrs:
                attrs["score_name"] = t.dc_attrs["score_name"]
                attrs["score"] = t.dc_attrs.get("score")
        return attrs
    if label == "CONSERVATIVE_CARE":
        modalities: list[str] = []
        # "treated conservatively with splinting and NSAIDs": a generic phrase ("generic" in its
        # pattern attrs) that introduces named modalities adds nothing of its own
        specific = [t for t in targets if not t.dc_attrs.get("generic")]
        for t in specific or targets:
            for m in str(t.dc_attrs.get("modality", "other")).split(", "):
                if m not in modalities:
                    modalities.append(m)
        outcomes = {c.dc_attrs.get("outcome") for c in cues}
        outcome = next((o for o in ("failed", "partial", "helped") if o in outcomes), "unknown")
        return {"modality": ", ".join(modalities), "duration_weeks": _care_duration(sent_text), "outcome": outcome}
    if label == "PROCEDURE_RESPONSE":
        pct = next((t.dc_attrs.get("relief_pct") for t in targets if t.dc_attrs.get("relief_pct") is not None),
                   None)
        duration = None
        m = validators.search_duration(sent_text)
        if m and m.group("n").lower() not in _VAGUE_COUNTS:
            duration = 0.0 if m.group("unit").lower().startswith("h") else validators.find_duration_weeks(m.group(0))
        return {"relief_pct": pct, "duration_weeks": duration}
    if label == "TIME_SPENT":
        return {"minutes": targets[0].dc_attrs.get("minutes")}
    return {}
