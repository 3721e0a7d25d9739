"""Scoring word-sorted keys with ``ratio`` gives exactly rapidfuzz's ``token_sort_ratio``."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz, process

from driftcheck.similarity.align import _cdist_max, _sorted_words

_ASCII = st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=127), max_size=40)
_WORDY = st.lists(st.sampled_from(["pain", "is", "#/10", "today", "l#-l#", "no", "worse", "left", "  ", "\t",
                                   "\x0b", "\x1c", "\x1f", "a", "b"]), max_size=12).map(" ".join)


@settings(max_examples=300)
@given(st.lists(_ASCII | _WORDY, min_size=1, max_size=6), st.lists(_ASCII | _WORDY, min_size=1, max_size=6),
       st.sampled_from([0.0, 70.0, 85.0]))
def test_when_words_presorted_then_scores_equal_token_sort_ratio(queries, choices, cutoff):
    plain = _cdist_max(queries, choices, cutoff)
    presorted = _cdist_max(queries, choices, cutoff, [_sorted_words(q) for q in queries],
                           [_sorted_words(c) for c in choices])
    assert np.array_equal(plain, presorted)
    direct = process.cdist([_sorted_words(q) for q in queries], [_sorted_words(c) for c in choices],
                           scorer=fuzz.ratio, score_cutoff=cutoff, dtype=np.uint8)
    assert np.array_equal(direct, process.cdist(queries, choices, scorer=fuzz.token_sort_ratio,
                                                score_cutoff=cutoff, dtype=np.uint8))
