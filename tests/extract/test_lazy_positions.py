"""The lazy per-predicate position index gives exactly what the eager index of every
(token, predicate) pair gave, and matching through it finds the same spans."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from driftcheck.extract.components import compile_pattern
from driftcheck.extract.prefilter import Positions, TokenMatcher, match_steps
from driftcheck.text.pipeline import sentence_nlp


def _eager(sets):
    positions: dict[int, list[int]] = {}
    for i, ids in enumerate(sets):
        for pid in ids:
            positions.setdefault(pid, []).append(i)
    return positions


_sets = st.lists(st.frozensets(st.integers(0, 12), max_size=6), max_size=20)


@settings(max_examples=200, deadline=None)
@given(_sets, st.lists(st.integers(-1, 14), max_size=10))
def test_when_positions_asked_lazily_then_same_as_eager_index(sets, asked):
    eager = _eager(sets)
    lazy = Positions(sets, frozenset().union(*sets))
    for pid in asked + asked:  # twice: the memoised answer too
        assert lazy.get(pid) == eager.get(pid)
        assert lazy.get(pid, ()) == eager.get(pid, ())
        assert (pid in lazy) == (pid in eager)
    assert set(lazy) == set(eager) and len(lazy) == len(eager)


@settings(max_examples=200, deadline=None)
@given(_sets, st.lists(st.tuples(st.integers(-1, 12), st.sampled_from([(1, 1), (0, 1), (0, 1 << 30), (1, 1 << 30)]),
                                 st.booleans()), min_size=1, max_size=4))
def test_when_matching_with_lazy_positions_then_same_spans(sets, raw):
    steps = [(pid, lo, hi, neg and lo == hi == 1) for pid, (lo, hi), neg in raw]
    lazy = Positions(sets, frozenset().union(*sets))
    assert match_steps(steps, sets, lazy) == match_steps(steps, sets, _eager(sets)) == match_steps(steps, sets)


def test_when_broad_not_in_step_then_matcher_same_on_fresh_and_cached_line():
    nlp = sentence_nlp()
    pattern = compile_pattern("pain <any>? re:^(worse|better)$")
    broad = [{"LOWER": "pain"}, {"LOWER": {"NOT_IN": ["with", "and"]}, "OP": "*"}, {"LOWER": "worse"}]
    mine = TokenMatcher(nlp.vocab)
    mine.add("a", [pattern])
    mine.add("b", [broad])
    doc = nlp("The pain is much worse and pain with sitting is better.")
    first = mine(doc)
    assert first == mine(doc)  # second call reads the cached line
    assert ("b", 1, 5) in first and ("a", 7, 11) not in first
