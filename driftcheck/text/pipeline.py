"""The text stage: a note's text -> sections and sentences, with original offsets.

Built on ``spacy.blank("en")`` plus rule components, so nothing is ever downloaded. Clinical
notes break lines where prose would put a period (lists, vitals, "Pain: 6/10"), so a line break
starts a sentence, and section headers are cut out of the sentences they would otherwise join.
The spaCy ``Language`` is built once per process; extraction components are added to the same
object by the extract stage.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from functools import lru_cache

import spacy
from spacy.attrs import IDX, LENGTH, SENT_START
from spacy.language import Language
from spacy.pipeline.sentencizer import Sentencizer
from spacy.tokens import Doc

from driftcheck.text.boundaries import join_after_abbreviations  # noqa: F401  (registers the component)
from driftcheck.text.sections import Section, detect_sections

PIPELINE_VERSION = "text-2"


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence (or list line) of a note: original offsets and the kind of its section."""

    start: int
    end: int
    section: str
    clinical: bool = True


@dataclass(frozen=True, slots=True)
class Block:
    """A line (or a line's part inside one section): the unit of caching.

    Carried-forward text repeats whole lines, so results computed for a line (its sentences
    here, its statements in the extract stage) are cached by the line's text and reused on
    every later visit that repeats it — spaCy only ever sees lines that are new.
    """

    start: int
    end: int
    section: str
    clinical: bool = True


@dataclass(frozen=True, slots=True)
class TextDoc:
    """What the text stage knows about one note. Plain data: cacheable, picklable.

    ``docs`` holds the spaCy ``Doc`` of each block that had to be tokenised in this call
    (keyed by block start), so the extract stage can reuse it instead of tokenising again.
    Single-sentence lines are not tokenised here at all. It is transient: not compared, not
    cached.
    """

    text: str
    sections: tuple[Section, ...]
    sentences: tuple[Sentence, ...]
    blocks: tuple[Block, ...] = ()
    docs: dict[int, Doc] = field(default_factory=dict, compare=False, repr=False)

    def sentence_text(self, sentence: Sentence) -> str:
        """The original characters of ``sentence``."""
        return self.text[sentence.start : sentence.end]

    def sentences_in(self, block: Block) -> list[Sentence]:
        """The sentences inside ``block``."""
        return [s for s in self.sentences if block.start <= s.start and s.end <= block.end]


@Language.component("driftcheck_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """Start a sentence after every line break (clinical lists and vitals have no periods)."""
    for token in doc[:-1]:
        if "\n" in token.text_with_ws[len(token.text) :] or (token.is_space and "\n" in token.text):
            doc[token.i + 1].is_sent_start = True
    return doc


@lru_cache(maxsize=1)
def sentence_nlp() -> Language:
    """A blank English pipeline with the sentencizer and line-break rule (one per process).

    Later stages build their pipelines on this object's vocab so Docs can be shared.
    """
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("driftcheck_abbreviations")
    nlp.add_pipe("driftcheck_line_breaks")
    return nlp


#: The components that only set sentence starts (the text stage's whole pipeline).
SENTENCING = ("sentencizer", "driftcheck_abbreviations", "driftcheck_line_breaks")


def sentenced(nlp: Language, text: str) -> Doc:
    """``nlp(text)`` run through the sentencing components of ``nlp`` only (:data:`SENTENCING`).

    The line-break rule is skipped when ``text`` has no line break, where it changes nothing: it
    is a Python loop over every token and cost more than tokenising and the sentencizer together
    on the single lines the text stage and extraction pass here.
    """
    doc = nlp.make_doc(text)
    newline = "\n" in text
    for name, proc in nlp.pipeline:
        if name in SENTENCING and (newline or name != "driftcheck_line_breaks"):
            doc = proc(doc)
    return doc


class TextProcessor:
    """Sections, blocks and sentences for notes, with a per-block sentence cache.

    Args:
        nlp: the sentence pipeline (defaults to :func:`sentence_nlp`).
        cache_size: how many distinct block texts to remember (LRU). A patient's history
            repeats most lines, so even a small cache turns repeats into dictionary hits.
    """

    def __init__(self, nlp: Language | None = None, cache_size: int = 200_000) -> None:
        self.nlp = nlp or sentence_nlp()
        self._plain = set(self.nlp.pipe_names) <= set(SENTENCING)
        self.cache_size = cache_size
        self._cache: OrderedDict[str, tuple[tuple[int, int], ...]] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def process(self, text: str) -> TextDoc:
        """Run the text stage on one note."""
        sections = detect_sections(text)
        blocks = _blocks(text, sections)
        sentences: list[Sentence] = []
        docs: dict[int, Doc] = {}
        for block in blocks:
            chunk = text[block.start : block.end]
            rel = self._cache.get(chunk)
            if rel is None:
                self.misses += 1
                if _one_sentence(chunk):
                    # No sentence punctuation before the line's end: spaCy's sentencizer would
                    # return the whole line, so skip tokenising it (most clinical lines).
                    a, b = _trim(chunk, 0, len(chunk))
                    rel = ((a, b),) if b - a >= 2 and any(ch.isalnum() for ch in chunk[a:b]) else ()
                else:
                    doc = sentenced(self.nlp, chunk) if self._plain else self.nlp(chunk)
                    docs[block.start] = doc
                    rel = tuple(_sentence_bounds(chunk, doc))
                self._cache[chunk] = rel
                if len(self._cache) > self.cache_size:
                    self._cache.popitem(last=False)
            else:
                self.hits += 1
                self._cache.move_to_end(chunk)
            for a, b in rel:
                sentences.append(Sentence(block.start + a, block.start + b, block.section, block.clinical))
        return TextDoc(text, sections, tuple(sentences), tuple(blocks), docs)


_DEFAULT: TextProcessor | None = None


def process(text: str) -> TextDoc:
    """Run the text stage on one note with the process-wide :class:`TextProcessor`."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = TextProcessor()
    return _DEFAULT.process(text)


def _blocks(text: str, sections: tuple[Section, ...]) -> list[Block]:
    """Lines of each section body (header titles excluded), trimmed, non-empty."""
    blocks: list[Block] = []
    for section in sections:
        pos = section.start
        while pos < section.end:
            nl = text.find("\n", pos, section.end)
            line_end = section.end if nl == -1 else nl
            a, b = _trim(text, pos, line_end)
            if b - a >= 2 and any(ch.isalnum() for ch in text[a:b]):
                blocks.append(Block(a, b, section.kind, section.clinical))
            pos = line_end + 1
    return blocks


_PUNCT = frozenset(Sentencizer.default_punct_chars)


def _one_sentence(chunk: str) -> bool:
    """True when the sentencizer cannot split ``chunk``: no sentence punctuation before its end.

    The sentencizer only starts a sentence after a token that is one of its punctuation
    characters; a line whose only such characters are trailing is one sentence. This is exact,
    not a heuristic: anything else (decimals, abbreviations, several sentences) goes to spaCy.
    """
    end = len(chunk.rstrip())
    while end > 0 and chunk[end - 1] in _PUNCT:
        end -= 1
    return not any(ch in _PUNCT for ch in chunk[:end])


def _sentence_bounds(chunk: str, doc: Doc) -> list[tuple[int, int]]:
    """Trimmed character bounds of the sentences of ``doc`` (``Span.start_char``/``end_char``
    of ``doc.sents``, read from the token arrays in one call instead of building Spans)."""
    out = []
    rows = doc.to_array([SENT_START, IDX, LENGTH]).tolist() if len(doc) else []
    starts = [i for i, row in enumerate(rows) if i == 0 or row[0] == 1]
    for k, first in enumerate(starts):
        last = rows[(starts[k + 1] if k + 1 < len(starts) else len(rows)) - 1]
        a, b = _trim(chunk, rows[first][1], last[1] + last[2])
        if b - a >= 2 and any(ch.isalnum() for ch in chunk[a:b]):
            out.append((a, b))
    return out


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    """Trim whitespace and stray leading separators (",", ":") left by header cuts."""
    while a < b and (text[a].isspace() or text[a] in ",:;"):
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b
