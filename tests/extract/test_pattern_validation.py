"""Building a label component still rejects a bad pattern although spaCy's validating Matcher
no longer compiles the regexes (the TokenMatcher compiles them right after)."""

from __future__ import annotations

import pytest

from driftcheck.errors import DataFileError
from driftcheck.extract.components import PatternEntry, TargetMatcher, _unregexed
from driftcheck.text.pipeline import sentence_nlp


def _component(tokens):
    return TargetMatcher(sentence_nlp(), "t", "FUNCTION", patterns=[PatternEntry("x.bad", "target", (tuple(tokens),))])


@pytest.mark.parametrize("tokens", [
    [{"LOWER": {"REGEX": "(unclosed"}}],
    [{"LOWER": {"REGEX": 5}}],
    [{"LOWER": "walk", "OP": "bogus"}],
    [{"NOT_AN_ATTR": "x"}],
    [{"IS_ALPHA": True, "LOWER": {"REGEX": "^[a-z"}}],
])
def test_when_pattern_bad_then_component_rejects_it(tokens):
    with pytest.raises(DataFileError):
        _component(tokens)


def test_when_pattern_good_then_regex_kept_for_matching():
    comp = _component([{"LOWER": {"REGEX": "^walk"}}, {"LOWER": "slowly"}])
    doc = sentence_nlp()("He walked slowly.")
    assert [(s, e) for _k, s, e in comp.matcher(doc)] == [(1, 3)]


def test_when_unregexed_then_only_regex_strings_replaced():
    seg = [{"LOWER": {"REGEX": "^a"}, "OP": "?"}, {"LOWER": {"IN": ["b"]}}, {"TEXT": {"REGEX": 3}}]
    assert _unregexed(seg) == [{"LOWER": {"REGEX": "^$"}, "OP": "?"}, {"LOWER": {"IN": ["b"]}}, {"TEXT": {"REGEX": 3}}]
    assert seg[0]["LOWER"]["REGEX"] == "^a"  # the caller's pattern is not changed
