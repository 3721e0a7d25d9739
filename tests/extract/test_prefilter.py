"""The predicate-memo TokenMatcher finds exactly what spaCy's Matcher finds; the prefilter only skips."""

from __future__ import annotations

import pytest
from spacy.matcher import Matcher

from driftcheck.extract.components import ALL_LABELS, TargetMatcher, compile_pattern
from driftcheck.extract.prefilter import EntryIndex, TokenMatcher, parse_op
from driftcheck.extract.statements import Extractor
from driftcheck.text.pipeline import TextProcessor, sentence_nlp

SENTENCES = [
    "She cannot sit for more than 20 minutes and can't drive.",
    "Pain is 6-8/10 today, 7 / 10 yesterday, seven out of ten at worst.",
    "He has tried Tylenol, ibuprofen 800mg and PT x6 weeks without relief.",
    "If he fails to improve, we will obtain an MRI of the L4-L5 level.",
    "Physical therapy: No.  Walking worsens the pain.",
    "",
]
PATTERNS = [
    "can|ca not|n't <any>? sit|drive",
    "<num> - <num> /? 10?",
    "re:^(tylenol|ibuprofen)$ <any>* relief",
    "walk* worsens",
    "re:^(if|should)$ <any>? <any>? improve",
    "re:^[:=\\-]$ no|none",
    "without re:^(significant|any)$? relief",
    "x-ray|mri",
]


@pytest.mark.parametrize("spec", PATTERNS)
def test_when_pattern_then_same_matches_as_spacy(spec):
    nlp = sentence_nlp()
    pattern = compile_pattern(spec)
    ref = Matcher(nlp.vocab)
    ref.add("k", [pattern])
    mine = TokenMatcher(nlp.vocab)
    mine.add("k", [pattern])
    for text in SENTENCES:
        doc = nlp(text)
        assert sorted((s, e) for _, s, e in ref(doc)) == sorted((s, e) for _, s, e in mine(doc)), text


@pytest.mark.parametrize(
    "op, expected",
    [(None, (1, 1, False)), ("?", (0, 1, False)), ("+", (1, 1 << 30, False)), ("!", (1, 1, True)),
     ("{2}", (2, 2, False)), ("{0,4}", (0, 4, False)), ("{1,}", (1, 1 << 30, False))],
)
def test_when_op_then_bounds(op, expected):
    assert parse_op(op) == expected


def test_when_required_word_absent_then_entry_not_candidate():
    nlp = sentence_nlp()
    m = TokenMatcher(nlp.vocab)
    m.add("walk", [compile_pattern("walk* worsens")])
    m.add("opt", [compile_pattern("very? well")])
    index = EntryIndex(m)
    assert index.candidates(nlp("Sitting worsens it.")) == set()
    assert index.candidates(nlp("Walking worsens it.")) == {"walk"}
    assert index.candidates(nlp("It went well.")) == {"opt"}


def test_when_prefilter_skips_then_statements_identical(monkeypatch):
    text = "\n".join(SENTENCES + ["HPI: He is unable to stand for 10 minutes. Continue Lyrica.",
                                 "INDICATION: Lumbar radiculopathy despite physical therapy."])
    fast = Extractor().extract(TextProcessor().process(text))
    monkeypatch.setattr(TargetMatcher, "candidates", lambda self, doc: set(self.index._keys_of))
    slow = Extractor().extract(TextProcessor().process(text))
    assert fast == slow
    assert {s.label for s in fast} & set(ALL_LABELS)
