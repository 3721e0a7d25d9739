"""The text stage: a note's text -> sections and sentences, with original offsets.

Built on ``spacy.blank("en")`` plus rule components, so nothing is ever downloaded. Clinical
notes break lines where prose would put a period (lists, vitals, "Pain: 6/10"), so a line break
starts a sentence, and section headers are cut out of the sentences they would otherwise join.
The spaCy ``Language`` is built once per process; extraction components are added to the same
object by the extract stage.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from driftcheck.text.sections import Section, detect_sections, section_at

PIPELINE_VERSION = "text-1"


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence (or list line) of a note: original offsets and the kind of its section."""

    start: int
    end: int
    section: str
    clinical: bool = True


@dataclass(frozen=True, slots=True)
class TextDoc:
    """What the text stage knows about one note. Plain data: cacheable, picklable."""

    text: str
    sections: tuple[Section, ...]
    sentences: tuple[Sentence, ...]

    def sentence_text(self, sentence: Sentence) -> str:
        """The original characters of ``sentence``."""
        return self.text[sentence.start : sentence.end]


@Language.component("driftcheck_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """Start a sentence after every line break (clinical lists and vitals have no periods)."""
    for token in doc[:-1]:
        if "\n" in token.text_with_ws[len(token.text) :] or (token.is_space and "\n" in token.text):
            doc[token.i + 1].is_sent_start = True
    return doc


@lru_cache(maxsize=1)
def sentence_nlp() -> Language:
    """A blank English pipeline with the sentencizer and line-break rule (one per process)."""
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("driftcheck_line_breaks")
    return nlp


def process(text: str, nlp: Language | None = None) -> TextDoc:
    """Run the text stage on one note."""
    doc = (nlp or sentence_nlp())(text)
    return textdoc_from_doc(doc)


def process_many(texts: list[str], nlp: Language | None = None, batch_size: int = 64) -> list[TextDoc]:
    """Run the text stage on many notes with ``nlp.pipe`` (batching is faster than a loop)."""
    pipeline = nlp or sentence_nlp()
    return [textdoc_from_doc(doc) for doc in pipeline.pipe(texts, batch_size=batch_size)]


def textdoc_from_doc(doc: Doc) -> TextDoc:
    """Derive sections and sentences from a processed spaCy ``Doc``."""
    text = doc.text
    sections = detect_sections(text)
    cuts = sorted({s.title_start for s in sections} | {s.title_end for s in sections}
                  | {s.start for s in sections})
    headers = [(s.title_start, s.start) for s in sections if s.title_end > s.title_start]
    sentences: list[Sentence] = []
    for sent in doc.sents:
        pieces = _cut(sent.start_char, sent.end_char, cuts)
        for a, b in pieces:
            if any(h0 <= a and b <= h1 for h0, h1 in headers):
                continue  # the header title itself is not a sentence
            a, b = _trim(text, a, b)
            if b - a < 2 or not any(ch.isalnum() for ch in text[a:b]):
                continue
            section = section_at(sections, a)
            kind = section.kind if section else "unsectioned"
            sentences.append(Sentence(a, b, kind, section.clinical if section else True))
    return TextDoc(text, sections, tuple(sentences))


def _cut(start: int, end: int, cuts: list[int]) -> list[tuple[int, int]]:
    inner = [c for c in cuts if start < c < end]
    bounds = [start, *inner, end]
    return list(zip(bounds, bounds[1:], strict=False))


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    """Trim whitespace and stray leading separators (",", ":") left by header cuts."""
    while a < b and (text[a].isspace() or text[a] in ",:;"):
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b
