"""The abbreviation rule's fast path (only sentence starts after a period are looked at; a
line without a period is skipped) sets exactly the sentence starts of the token-by-token loop."""

from __future__ import annotations

import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.tokens import Doc

from driftcheck.text.boundaries import (
    _CONTINUING,
    _ENDERS,
    abbreviations,
    is_abbreviation,
    join_after_abbreviations,
)


def _reference(doc: Doc) -> Doc:
    """The rule as it was written before the fast path: every token visited."""
    _, titles = abbreviations()
    for i in range(2, len(doc)):
        tok = doc[i]
        if not tok.is_sent_start or tok.is_space:
            continue
        k = i - 1
        while k > 0 and (doc[k].is_punct or doc[k].is_space):
            k -= 1
        run = doc[k + 1 : i]
        texts = [t.text for t in run]
        if "." not in texts or any(t in _ENDERS for t in texts) or "\n" in run.text_with_ws:
            continue
        if texts[0] != "." or doc[k].whitespace_:
            continue
        word = doc[k].text
        if not is_abbreviation(word):
            continue
        first = tok.text[0]
        if any(t in _CONTINUING for t in texts) or first.islower() or first.isdigit() or word.lower() in titles:
            tok.is_sent_start = False
    return doc


_NLP = spacy.blank("en")
_NLP.add_pipe("sentencizer")
_WORDS = ["Tylenol", "p.r.n.", "b.i.d.", "Dr.", "Smith", "pain", "He", "feels", "better", "q6h.", "No.", "3",
          "mg", "t.i.d.", ",", ";", ".", "!", "?", "\n", " ", ". \n", "approx.", "walking", "Pt.", ")", "/", "e.g."]


def _starts(doc: Doc) -> list[bool]:
    return [bool(t.is_sent_start) for t in doc]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), max_size=25), st.lists(st.booleans(), max_size=25))
def test_when_fast_path_then_same_sentence_starts_as_token_loop(words, glue):
    text = "".join(w + ("" if i < len(glue) and glue[i] else " ") for i, w in enumerate(words))
    fast = join_after_abbreviations(_NLP(text))
    slow = _reference(_NLP(text))
    assert _starts(fast) == _starts(slow)


def test_when_no_period_then_doc_untouched():
    doc = _NLP("Pain is worse! He cannot sit? She walks")
    before = _starts(doc)
    assert _starts(join_after_abbreviations(doc)) == before


def test_when_dosing_abbreviation_then_list_is_one_sentence():
    doc = join_after_abbreviations(_NLP("Tylenol p.r.n., Ultram p.r.n. pain. He feels better."))
    assert sum(_starts(doc)) == 2
